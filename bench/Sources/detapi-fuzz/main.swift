// The libFuzzer driver for one `FuzzTarget`, chosen by DETAPI_FUZZ_TARGET; bench/fuzz.sh builds and runs it.
//
// SwiftPM names an executable's entry point `<module>_main` and links `main` to it, so this top-level code
// is the process's main and hands control to libFuzzer's driver (linked from the toolchain's
// libclang_rt.fuzzer archive) instead of using libFuzzer's own main.
import Foundation
import FuzzTargets

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

let name = ProcessInfo.processInfo.environment["DETAPI_FUZZ_TARGET"] ?? ""
guard let target = FuzzTarget(rawValue: name) else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    FileHandle.standardError.write(Data("detapi-fuzz: set DETAPI_FUZZ_TARGET to one of: \(names)\n".utf8))
    exit(2)
}
// Loaded before the first input, so libFuzzer does not count spec loading as a slow unit.
_ = FuzzModels.builtIn
if target == .validator { _ = FuzzModels.fullSchemaNames }

nonisolated(unsafe) var selected = target
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(
    runFuzzerDriver(&argc, &argv) { data, size in
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        _ = selected.run(bytes)
        return 0
    })
