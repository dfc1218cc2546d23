import Foundation
import JSON
import OpenAPI

/// Bytes → verdict for a GetExperiments body against v1GetExperimentsResponse, and spec load times.
enum ValidateBench {
    static func validate(spec: String, body: String, seconds: Double) throws {
        let model = try SpecLoader.load(path: spec)
        guard let schema = model.schemaNode(named: "v1GetExperimentsResponse") else {
            print("the spec has no v1GetExperimentsResponse")
            exit(2)
        }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: body)))
        let validator = model.validator(nulls: .optional)
        let first = try validator.validate(bytes, against: schema)
        print("validate verdict: \(first.isValid ? "valid" : "INVALID \(first.violations.prefix(3))"), \(first.lenientCount) lenient nulls")
        var sink = 0
        let parseOnly = Measure.throughput(bytes: bytes.count, seconds: seconds) {
            sink &+= (try! JSONDocument(parsing: bytes)).nodeCount
        }
        let endToEnd = Measure.throughput(bytes: bytes.count, seconds: seconds) {
            let result = try! validator.validate(bytes, against: schema)
            sink &+= result.violations.count + result.lenientCount
        }
        let parsed = try JSONDocument(parsing: bytes)
        let walkOnly = Measure.throughput(bytes: bytes.count, seconds: seconds) {
            sink &+= validator.validate(parsed, against: schema).violations.count
        }
        print(
            "validate detapi walk-only (document already parsed) MB/s best \(Measure.format(walkOnly.best)) median \(Measure.format(walkOnly.median))"
        )
        print("validate detapi parse-only MB/s best \(Measure.format(parseOnly.best)) median \(Measure.format(parseOnly.median))")
        print(
            "validate detapi bytes-to-verdict MB/s best \(Measure.format(endToEnd.best)) median \(Measure.format(endToEnd.median)) runs \(endToEnd.runs)"
        )
        if sink == -1 { print() }
    }

    /// Peak resident memory growth while reading and validating one body, against its size.
    static func memory(spec: String, body: String) throws {
        let model = try SpecLoader.load(path: spec)
        let schema = model.schemaNode(named: "v1GetExperimentsResponse")!
        let validator = model.validator()
        let before = peakRSS()
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: body)))
        let result = try validator.validate(bytes, against: schema)
        let after = peakRSS()
        let growth = after - before
        print(
            "memory body \(bytes.count) bytes, peak RSS growth \(growth) bytes = \(String(format: "%.2f", Double(growth) / Double(bytes.count)))x the body (valid: \(result.isValid))"
        )
    }

    static func peakRSS() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024
    }

    static func load(spec: String, seconds: Double) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: spec)[.size] as? Int) ?? 0
        var operations = 0
        var nodes = 0
        var times: [Double] = []
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(seconds)
        while times.count < 5 || clock.now < deadline {
            let start = clock.now
            let model = try SpecLoader.load(path: spec)
            let d = clock.now - start
            times.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
            operations = model.operations.count
            nodes = model.schemas.count
        }
        times.sort()
        print(
            "spec-load detapi \(spec) (\(size) bytes, \(operations) operations, \(nodes) schema nodes): best \(String(format: "%.1f", times[0])) ms, median \(String(format: "%.1f", times[times.count / 2])) ms, runs \(times.count)"
        )
    }
}
