// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "detapi",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "detapi", targets: ["detapi"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.0.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        // Hummingbird's own lifecycle library: stopping a server gracefully, not by cancelling its task.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .target(name: "JSON", swiftSettings: strict),
        .target(name: "HTTP", dependencies: ["CCurl", "JSON"], swiftSettings: strict),
        .target(
            name: "OpenAPI",
            dependencies: ["JSON", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(
            name: "Harness",
            dependencies: ["JSON", "HTTP", "OpenAPI", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(
            name: "Reports",
            dependencies: ["Harness", "HTTP", "JSON", "OpenAPI", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: strict
        ),
        .target(
            name: "MockCluster",
            dependencies: [
                "JSON", "OpenAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "MockClusterTesting",
            dependencies: [
                "MockCluster",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "Explorer",
            dependencies: ["CEditLine", "Harness", "Reports", "HTTP", "JSON", "OpenAPI"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "detapi",
            dependencies: [
                "JSON", "HTTP", "OpenAPI", "MockCluster", "Harness", "Reports", "Explorer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "detapi-bench",
            dependencies: ["JSON", "OpenAPI", "Explorer"],
            path: "bench/Sources/detapi-bench",
            swiftSettings: strict
        ),
        .target(name: "FuzzTargets", dependencies: ["Harness", "JSON", "OpenAPI"], swiftSettings: strict),
        .testTarget(name: "FuzzTests", dependencies: ["FuzzTargets"], swiftSettings: strict),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: strict),
        .testTarget(
            name: "ExplorerTests",
            dependencies: ["Explorer", "Harness", "HTTP", "JSON", "OpenAPI", "MockCluster", "MockClusterTesting"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "HTTPTests",
            dependencies: [
                "HTTP", "JSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "OpenAPITests", dependencies: ["OpenAPI", "JSON"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "DetapiCLITests", dependencies: ["HTTP", "JSON", "MockCluster", "MockClusterTesting", "OpenAPI"], swiftSettings: strict),
        .testTarget(
            name: "HarnessTests", dependencies: ["Harness", "Reports", "MockCluster", "MockClusterTesting", "HTTP", "JSON", "OpenAPI"],
            swiftSettings: strict),
        .testTarget(
            name: "MockClusterTests",
            dependencies: [
                "MockCluster", "MockClusterTesting", "HTTP", "JSON", "OpenAPI",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)

// bench/fuzz.sh builds the libFuzzer driver with DETAPI_FUZZ=1 and sanitizer flags; an ordinary build has no
// libFuzzer to link it against, so the target exists only then.
if Context.environment["DETAPI_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(
            name: "detapi-fuzz", dependencies: ["FuzzTargets"], path: "bench/Sources/detapi-fuzz", swiftSettings: strict))
}
