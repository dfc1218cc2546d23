import Foundation
import JSON

/// Parses the same bytes with detapi's scanner and with Foundation's JSONSerialization.
enum JSONParseBench {
    static func run(bytes: [UInt8], seconds: Double) {
        var sink = 0
        let ours = Measure.throughput(bytes: bytes.count, seconds: seconds) {
            let document = try! JSONDocument(parsing: bytes)
            sink &+= document.nodeCount
        }
        let tree = Measure.throughput(bytes: bytes.count, seconds: seconds) {
            let value = try! JSONValue(parsing: bytes)
            if case .object(let o) = value { sink &+= o.count }
        }
        let data = Data(bytes)
        let foundation = Measure.throughput(bytes: bytes.count, seconds: seconds) {
            let object = try! JSONSerialization.jsonObject(with: data)
            if let d = object as? [String: Any] { sink &+= d.count }
        }
        print("json-parse detapi-index MB/s best \(Measure.format(ours.best)) median \(Measure.format(ours.median)) runs \(ours.runs)")
        print("json-parse detapi-tree MB/s best \(Measure.format(tree.best)) median \(Measure.format(tree.median)) runs \(tree.runs)")
        print(
            "json-parse foundation MB/s best \(Measure.format(foundation.best)) median \(Measure.format(foundation.median)) runs \(foundation.runs)"
        )
        if sink == 42 { print("") }
    }
}
