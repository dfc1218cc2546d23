import Crypto
import Foundation

/// The client-side password hash, computed independently of the mock for the hashed-login test.
enum ClusterStoreHash {
    static func sha512(_ text: String) -> String {
        SHA512.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
