import ArgumentParser
import Foundation
import HTTP
import Harness
import JSON
import OpenAPI

/// Which spec to read; shared by every command that needs one.
struct SpecOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "OpenAPI spec: a JSON/YAML file, an http(s) URL, or 'builtin' [default: $DETAPI_SPEC, else the spec the --master serves, else detapi's built-in Determined spec].",
            valueName: "file-or-url"))
    var spec: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "An OpenAPI Overlay 1.0 file applied to the spec when it is loaded (repeatable, in order) [default: $DETAPI_OVERLAY, files separated by ':'].",
            valueName: "file"))
    var overlay: [String] = []

    @Flag(name: .customLong("no-builtin-overlay"), help: "Do not apply detapi's overlay of what the Determined master really sends.")
    var noBuiltinOverlay = false

    /// Which spec these options name (`SpecSelection`, the one place that decides).
    func selection(master: String?) -> SpecSelection {
        SpecSelection.resolve(
            spec: spec, overlays: overlay, noBuiltInOverlay: noBuiltinOverlay, master: master,
            environment: ProcessInfo.processInfo.environment)
    }

    /// The overlays to apply; a bad one ends the command with exit 2 naming its file and line.
    func overlays(_ files: [String]) throws -> SpecOverlays {
        var list: [Overlay] = []
        for file in files {
            let data: [UInt8]
            switch InputFile.read(file, what: "overlay") {
            case .success(let bytes): data = bytes
            case .failure(let failure): throw CommandFailure.usage("--overlay \(failure)")
            }
            do {
                list.append(try Overlay.parse(data, source: file))
            } catch {
                throw CommandFailure.usage("overlay \(error)")
            }
        }
        return SpecOverlays(list, builtIn: !noBuiltinOverlay)
    }

    /// Loads the spec; any problem ends the command with exit 2 and a message naming file and pointer.
    ///
    /// With no `--spec` (or `DETAPI_SPEC`) and a `master`, the spec is the one the master serves
    /// (`ClusterSpec`, cached); a master that serves none gets the built-in spec and one line saying so.
    func load(
        strict: Bool, master: String? = nil, clientOptions: HTTPClientOptions = HTTPClientOptions(), connection: ConnectionOptions? = nil
    ) async throws -> APIModel {
        let chosen = selection(master: master)
        let overlays = try overlays(chosen.overlays)
        do {
            switch chosen.source {
            case .builtIn:
                return try await builtIn(strict: strict, overlays: overlays)
            case .url(let url):
                let fetcher = SpecFetcher(
                    client: HTTPClient(options: clientOptions), headers: connection?.resolvedHeaders ?? [],
                    token: connection?.resolvedToken, master: master ?? connection?.resolvedMaster)
                return try await fetcher.load(url: url, strict: strict, overlays: overlays)
            case .file(let path):
                return try SpecLoader.load(path: path, strict: strict, overlays: overlays)
            case .served(let master):
                switch await ClusterSpec(client: HTTPClient(options: clientOptions)).fetch(master: master) {
                case .success(let served):
                    var model: APIModel
                    if served.origin == .cached, overlays.overlays.isEmpty, overlays.builtIn,
                        let early = await BuiltInSpec.cachedServed(url: served.url)
                    {
                        // The cached copy, loaded while the master was asked whether it changed.
                        model = early
                    } else {
                        // The master's spec is not the user's to fix: lint errors are warnings here.
                        model = try SpecLoader.load(
                            bytes: served.bytes, source: served.url, uri: served.url, strict: false, resolver: .none, overlays: overlays)
                    }
                    model.origin = served.origin == .cached ? "served by the master; cached copy, not modified" : "served by the master"
                    return model
                case .failure(let why):
                    // The built-in spec stands in only for a Determined master; any other server is not swept
                    // against Determined's operations.
                    let kind = await ClusterSpec(client: HTTPClient(options: clientOptions)).kind(of: master)
                    guard kind != .other else {
                        let path = ClusterSpec.path(of: master)
                        let hint =
                            path.isEmpty
                            ? ""
                            : "; --master has a path (\(path)): a Determined master is its origin, and another API's base path comes from its spec"
                        throw CommandFailure.usage(
                            "no spec from \(master) (\(why.url): \(why.reason)) and it does not answer like a Determined master (/info)\(hint); name the spec with --spec FILE|URL, or --spec builtin"
                        )
                    }
                    Console.err("detapi: no spec from the master (\(why.reason)); using the built-in spec (--spec builtin skips asking)")
                    var model = try await builtIn(strict: strict, overlays: overlays)
                    model.origin = "built-in: the master serves no spec"
                    return model
                }
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch let error as SpecError where error.kind == .notASpec && chosen.source != .builtIn {
            // A master or URL that answers something else (an SSO page, a proxy) is not a spec to guess from.
            throw CommandFailure.usage("spec \(error); name the spec with --spec FILE|URL (or --spec builtin for Determined's)")
        } catch {
            throw CommandFailure.usage("spec \(error)")
        }
    }

    /// detapi's own spec (prefetched in the background unless overlays change it).
    private func builtIn(strict: Bool, overlays: SpecOverlays) async throws(SpecError) -> APIModel {
        // Loaded strictly; the built-in spec has no lint errors, so a lenient load would be the same.
        guard !overlays.overlays.isEmpty else { return try await BuiltInSpec.model() }
        return try SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source, strict: strict, overlays: overlays)
    }
}

/// `--master` for the commands that read a spec but send nothing (`spec …`, `docs`): read the spec the master
/// serves, as every other command does when it is pointed at one.
struct SpecMasterOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("Read the spec this master serves (/api/v1/api.swagger.json) [default: $DET_MASTER].", valueName: "url"))
    var master: String?

    var resolved: String? {
        master ?? ProcessInfo.processInfo.environment["DET_MASTER"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
