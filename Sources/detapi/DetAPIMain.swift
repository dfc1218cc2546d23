import ArgumentParser
import Foundation
import Harness

/// The process entry point: runs the parsed command and maps every outcome to detapi's documented exit codes.
///
/// 0 all checks passed · 1 a check failed · 2 usage, spec or input error · 3 transport failure.
/// ArgumentParser's own usage errors (which it would exit with 64) become 2; nothing ever prints a stack trace.
@main
enum DetAPIMain {
    static func main() async {
        BuiltInSpec.prefetch(arguments: CommandLine.arguments)
        // A mistyped subcommand (`detapi rnu --mock`) would otherwise be reported as an unknown option.
        if let word = CommandLine.arguments.dropFirst().first, let near = SubcommandName.suggestion(for: word) {
            Console.error("unknown command '\(word)'; did you mean '\(near)'? (detapi --help lists the commands)")
            exit(DetapiExit.usage.rawValue)
        }
        do {
            var command = try DetAPI.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Console.flush()
            exit(0)
        } catch let failure as CommandFailure {
            Console.flush()
            Console.error(failure.message)
            exit(failure.exitCode.rawValue)
        } catch let exitCode as ExitCode {
            Console.flush()
            exit(exitCode.rawValue)
        } catch {
            Console.flush()
            if DetAPI.exitCode(for: error) == .success {
                Console.out(DetAPI.fullMessage(for: error) + "\n")
                exit(0)
            }
            Console.error(DetAPI.fullMessage(for: error))
            exit(DetapiExit.usage.rawValue)
        }
    }
}
