import FlumeFuzzing

#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's entry point: each input goes through `FuzzOracle.check`; a finding aborts, so
/// libFuzzer saves the input as a crash. Build with `scripts/fuzz` (it passes
/// `-sanitize=fuzzer` and `-D FUZZING`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    do {
        try FuzzOracle.check(UnsafeRawBufferPointer(start: data, count: size))
    } catch {
        printToStandardError("flumefuzz: \(error)\n")
        abort()
    }
    return 0
}

func printToStandardError(_ text: String) {
    var text = text
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

#if !FUZZING
/// Without libFuzzer: replays the files named on the command line (crash reproducers,
/// regression inputs) through the same oracle.
@main
struct Replay {
    static func main() {
        var failures = 0
        for path in CommandLine.arguments.dropFirst() {
            guard let file = fopen(path, "rb") else {
                printToStandardError("flumefuzz: cannot open \(path)\n")
                failures += 1
                continue
            }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while case let got = fread(&chunk, 1, chunk.count, file), got > 0 { bytes += chunk[0..<got] }
            fclose(file)
            do {
                try bytes.withUnsafeBytes { try FuzzOracle.check($0) }
                print("ok    \(path)")
            } catch {
                print("FAIL  \(path): \(error)")
                failures += 1
            }
        }
        exit(failures == 0 ? 0 : 1)
    }
}
#endif
