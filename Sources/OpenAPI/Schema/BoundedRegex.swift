import Foundation

/// Runs a regular expression with a time budget, so that a pathological pattern (`^(a+)+$`) against a long
/// server string ends as "too slow" instead of hanging a run.
///
/// ICU reports progress while it backtracks (`NSRegularExpression`'s `.reportProgress`); the search stops at the
/// first match or when the budget is spent.
public enum BoundedRegex {
    public enum Outcome: Sendable, Equatable {
        case matched, notMatched
        /// The budget ran out before the search ended.
        case tooSlow
    }

    /// The budget of `matches` assertions and schema `pattern`s.
    public static let budget: Duration = .milliseconds(200)

    public static func firstMatch(_ regex: NSRegularExpression, in text: String, budget: Duration = BoundedRegex.budget) -> Outcome {
        let deadline = ContinuousClock.now + budget
        var outcome = Outcome.notMatched
        regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(text.startIndex..., in: text)) { match, _, stop in
            if match != nil {
                outcome = .matched
                stop.pointee = true
            } else if ContinuousClock.now > deadline {
                outcome = .tooSlow
                stop.pointee = true
            }
        }
        return outcome
    }
}
