import Foundation
import JSON

/// `conform --save-failures DIR`: each failing request written as a scenario file that `detapi run` replays,
/// with an `expect` that fails the same way while the server still behaves so.
///
/// Files are never overwritten: a name that is taken gets `-2`, `-3`, …. Secrets are never written: the step
/// logs in through `detapi run`'s automatic login (DET_USER/DET_PASS or --token).
public enum FailureScenario {
    /// The scenario text for one failing case.
    public static func text(_ c: Sweep.FailingCase, maxResponseMilliseconds: Double?) -> String {
        func quoted(_ s: String) -> String { JSONWriter().string(.string(s)) }
        func mapping(_ pairs: [(String, JSONValue)]) -> String {
            JSONWriter().string(.object(JSONObject(pairs.map { JSONObject.Member(key: $0.0, value: $0.1) })))
        }
        let step = c.step
        var out = "# Written by detapi conform --save-failures: the \(c.check.rawValue) finding of \(c.operation).\n"
        out += "# `detapi run` on this file fails the same way while the server still answers so.\n"
        out += "name: \(quoted("\(c.operation) \(c.check.rawValue)"))\n"
        out += "description: \(quoted(c.check.summary))\n"
        out += "tags: [conform, \(c.check.rawValue)]\n"
        out += "steps:\n"
        out += "  - name: \(quoted(step.name))\n"
        if let op = step.operation {
            out += "    operation: \(op)\n"
        } else if let request = step.request {
            out += "    request: \(quoted("\(request.method) \(request.path)"))\n"
        }
        if step.auth == Step.Auth.none { out += "    auth: none\n" }
        if !step.path.isEmpty { out += "    path: \(mapping(step.path))\n" }
        if !step.query.isEmpty { out += "    query: \(mapping(step.query))\n" }
        if !step.headers.isEmpty { out += "    headers: \(mapping(step.headers))\n" }
        // The values are the ones conform sent, forbidden ones included: replayed as they are.
        out += "    request_check: off\n"
        switch c.check {
        case .notAServerError: out += "    expect: {status: [2xx, 4xx]}\n"
        case .ignoredAuth: out += "    expect: {status: 401}\n"
        case .negativeDataRejection: out += "    expect: {status: 4xx}\n"
        case .positiveDataAcceptance: out += "    expect: {status: [2xx, 401, 403, 404]}\n"
        case .unsupportedMethod: out += "    expect: {status: [405, 501]}\n"
        case .maxResponseTime:
            out += "    expect: {max_ms: \(Int((maxResponseMilliseconds ?? 1000).rounded(.up)))}\n"
        case .responseHeadersConformance:
            out += "    # the header check is conform's own; `detapi conform --op \(c.operation)` repeats it\n"
            if let status = c.status { out += "    expect: {status: \(status)}\n" }
        case .ensureResourceAvailability, .useAfterFree:
            out += "    # a chain's check (create then read, delete then read): `detapi conform --allow-writes` repeats it\n"
            if let status = c.status { out += "    expect: {status: \(status)}\n" }
        case .statusCodeConformance, .contentTypeConformance, .responseSchemaConformance:
            // run's automatic checks (documented status, content type, schema) fail the same way.
            if let status = c.status { out += "    expect: {status: \(status)}\n" }
        }
        return out
    }

    /// Writes every case into `folder` (made if missing); returns the paths written.
    public static func write(_ cases: [Sweep.FailingCase], to folder: String, maxResponseMilliseconds: Double?) throws(HarnessError)
        -> [String]
    {
        let files = FileManager.default
        var isFolder: ObjCBool = false
        if files.fileExists(atPath: folder, isDirectory: &isFolder), !isFolder.boolValue {
            throw HarnessError(file: folder, message: "--save-failures: is a file, not a folder")
        }
        do {
            try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw HarnessError(file: folder, message: "--save-failures: cannot make the folder: \(error.localizedDescription)")
        }
        var written: [String] = []
        for c in cases {
            let stem = fileStem(c)
            var path = (folder as NSString).appendingPathComponent("\(stem).yaml")
            var n = 2
            while files.fileExists(atPath: path) {
                path = (folder as NSString).appendingPathComponent("\(stem)-\(n).yaml")
                n += 1
            }
            guard files.createFile(atPath: path, contents: Data(text(c, maxResponseMilliseconds: maxResponseMilliseconds).utf8)) else {
                throw HarnessError(file: path, message: "--save-failures: cannot write this file")
            }
            written.append(path)
        }
        return written
    }

    /// `GetUsers-not_a_server_error`, `GET-api-v1-auth-login-unsupported_method`.
    static func fileStem(_ c: Sweep.FailingCase) -> String {
        let safe = c.operation.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "-" }
        var name = String(safe)
        while name.contains("--") { name = name.replacingOccurrences(of: "--", with: "-") }
        return name.trimmingCharacters(in: CharacterSet(charactersIn: "-")) + "-" + c.check.rawValue
    }
}
