// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "flumebench",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "FlumeLog", targets: ["FlumeLog"]),
        .library(name: "FlumeBIPF", targets: ["FlumeBIPF"]),
        .executable(name: "flumebench", targets: ["FlumebenchBinary"]),
        // The simdjson reference, run by the benchmarks beside flumebench (see its main.cpp).
        .executable(name: "flumebench-simdjson", targets: ["FlumebenchSimdJSON"]),
    ],
    // `make build` enables it; tests (XCTest is a shared library) and plain builds do not.
    traits: [.trait(name: "StaticExecutable", description: "Link flumebench as one static executable (Linux, release, with --static-swift-stdlib)")],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // SHA-256 for golden manifests, ed25519 for SSB signatures. Kept out of FlumeLog.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CJemalloc",
            pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"])]
        ),
        .target(name: "CReference", cSettings: [.unsafeFlags(["-O2"])]),
        // The field-extraction reference the view rebuilds are measured against: simdjson
        // On-Demand (Debian's libsimdjson-dev, installed by scripts/install-deps).
        // libsimdjson is shared only, so it runs in a helper process (`flumebench-simdjson`) and
        // flumebench itself stays one static executable.
        .target(name: "CSimdJSON", dependencies: ["CReference"], cxxSettings: [.unsafeFlags(["-O2"])], linkerSettings: [.linkedLibrary("simdjson")]),
        .executableTarget(name: "FlumebenchSimdJSON", dependencies: ["CSimdJSON"], cxxSettings: [.unsafeFlags(["-O2"])]),
        // io_uring through raw system calls (the kernel's header only: no library to link).
        .target(name: "CFlumeUring"),
        // A prefetch hint for backward scans of a mapping (header only).
        .target(name: "CFlumeMemory"),
        // Byte searches 16 bytes at a time (SSE2, NEON; inlined from the header): the JSON scanner's
        // strings, the plain runs stringify copies; identifiers' base64 16 digits at a time (SSSE3,
        // chosen at run time).
        .target(name: "CFlumeSIMD", cSettings: [.unsafeFlags(["-O2"])]),
        .target(name: "FlumeLog", dependencies: ["CFlumeUring", "CFlumeMemory"]),
        // Ed25519 verification for ssb-validate: libsodium, as JS SSB verifies (and 2.2x fewer
        // instructions per signature than swift-crypto's BoringSSL here).
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]),
        // The Ed25519 reference ssb-validate is measured against: libsodium (Debian's
        // libsodium-dev, installed by scripts/install-deps); benchmark-only.
        .target(name: "CSodiumReference", cSettings: [.unsafeFlags(["-O2"])], linkerSettings: [.linkedLibrary("sodium")]),
        // JSON exactly as JavaScript parses and stringifies it (SSB signs and hashes that text).
        .target(name: "FlumeJSON", dependencies: ["CFlumeSIMD"]),
        // SSB: message text as JS writes it, identifiers, base64, keys and signing, validation,
        // the JSON field scanner the views read records with.
        .target(
            name: "FlumeSSB",
            dependencies: ["FlumeLog", "FlumeJSON", "FlumeBIPF", "CSodium", "CFlumeSIMD", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // SHA-256 with the CPU's SHA extensions, for the gigabytes manifest verification hashes.
        .target(name: "CFlumeSHA256", cSettings: [.unsafeFlags(["-O2"])]),
        .target(
            name: "FlumeCorpus",
            dependencies: ["FlumeLog", "FlumeJSON", "FlumeBIPF", "FlumeSSB", "CFlumeSHA256", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // BIPF, ssb-db2's binary JSON: encoded and decoded exactly as JS bipf 1.9.0, read in place.
        .target(name: "FlumeBIPF", dependencies: ["FlumeJSON"]),
        .target(name: "FlumeViews", dependencies: ["FlumeLog", "FlumeJSON", "FlumeSSB", "CFlumeMemory"]),
        .target(name: "FlumeFuzzing", dependencies: ["FlumeLog", "FlumeBIPF", "FlumeJSON", "FlumeSSB"]),
        // libFuzzer target (scripts/fuzz builds it with -sanitize=fuzzer); a plain build replays inputs.
        .executableTarget(name: "flumefuzz", dependencies: ["FlumeFuzzing"]),
        .target(name: "FlumeBench", dependencies: ["FlumeLog", "FlumeCorpus", "FlumeViews", "CJemalloc", "CReference", "CSodiumReference",
                                                  .product(name: "Crypto", package: "swift-crypto")]),
        // The command line's commands (a library, so tests link it without the executable's flags).
        .target(
            name: "FlumebenchCLI",
            dependencies: [
                "FlumeLog", "FlumeJSON", "FlumeSSB", "FlumeCorpus", "FlumeViews", "FlumeBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The `flumebench` binary. With the StaticExecutable trait (`make build`), on Linux, in
        // release: one static executable. A 1,000-record `verify` took 4.6 ms, 1.5 ms of it the
        // dynamic loader mapping and relocating libstdc++, jemalloc, libsodium and libsimdjson
        // before main; static, it takes 2.8 ms.
        // (Not named `flumebench`: beside Sources/FlumeBench that is one folder on macOS.)
        .executableTarget(
            name: "FlumebenchBinary",
            dependencies: ["FlumebenchCLI"],
            linkerSettings: [
                // Position-independent still (static-pie), so the binary keeps address randomization:
                // its self-relocation costs 0.3 ms of a start. gold cannot link static-pie; bfd can.
                // Its 51,000 relative relocations packed (DT_RELR, glibc 2.36): a 10 KB table, not
                // 1.2 MB read at every start (1,359-record `verify --strategy buffered` 2.63 -> 2.52 ms).
                .unsafeFlags(["-static-executable", "-use-ld=bfd", "-Xclang-linker", "-static-pie", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"],
                             .when(platforms: [.linux], configuration: .release, traits: ["StaticExecutable"])),
                // Linked dynamically (tests, debug): the static runtime's link arguments export every
                // symbol of our modules (9,500, with BoringSSL's); nothing looks them up, and at every
                // start the runtime's `dladdr` scanned them all (0.3 ms of a 4.7 ms `verify`).
                .unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux])),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["FlumeLog", "FlumeCorpus", "FlumeFuzzing"], path: "Tests/TestSupport"),
        .testTarget(name: "FlumeLogTests", dependencies: ["FlumeLog", "FlumeFuzzing", "TestSupport"],
                    resources: [.copy("FuzzRegressions")]),
        .testTarget(name: "FlumeViewsTests", dependencies: ["FlumeViews", "FlumeSSB", "FlumeJSON", "FlumeLog", "TestSupport"]),
        .testTarget(name: "FlumeBIPFTests", dependencies: ["FlumeBIPF", "FlumeJSON", "FlumeLog", "TestSupport",
                                                          .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "FlumeSSBTests", dependencies: ["FlumeSSB", "CFlumeSIMD", "FlumeJSON", "FlumeLog", "FlumeFuzzing", "TestSupport"]),
        .testTarget(name: "FlumeCorpusTests", dependencies: ["FlumeBIPF", "FlumeCorpus", "FlumeJSON", "FlumeLog", "TestSupport",
                                                            .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "FlumeJSONTests", dependencies: ["FlumeJSON", "TestSupport"]),
        .testTarget(name: "FlumeBenchTests", dependencies: ["FlumeBench", "CReference", "FlumeBIPF", "FlumeCorpus", "FlumeJSON", "FlumeLog", "FlumeSSB", "FlumeViews", "TestSupport"]),
        .testTarget(name: "FlumebenchCLITests", dependencies: ["FlumebenchCLI", "FlumeBench", "FlumeCorpus", "FlumeLog", "TestSupport"]),
    ],
    cxxLanguageStandard: .cxx17
)

// A module sees the members (`String.contains`, `range(of:)`) of the modules it imports itself,
// not of everything those import: otherwise swift-crypto's `import Foundation` leaks
// Foundation's string API into every file, and one `contains("/")` links all of Foundation and
// ICU (70 MB, and about 250 pages of relocations at every start) into the binary.
for target in package.targets where [.regular, .executable, .test].contains(target.type) {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}
