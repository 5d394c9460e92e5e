// One lesson of a pack without parsing the others: `check FILE` needs only the lesson its
// exercise belongs to, and parsing every lesson file costs more than the rest of its start-up.
// The files' front matter is scanned for their ids (the first 8 KiB of each, read as the parser
// reads it); when exactly one file declares the id, only that file is parsed. Anything less
// plain (front matter that does not close early, an id given twice, two files with the id, a
// parse that disagrees with the scan) loads the whole pack, as `load(directory:)` does.

import Foundation

extension LessonPack {
    /// The pack holding only lesson `id` with that file's diagnostics (`partial`), or the whole
    /// pack when the scan is not sure.
    public static func load(directory: String, lesson id: String)
        -> (pack: LessonPack, diagnostics: [LessonDiagnostic], partial: Bool) {
        func whole() -> (pack: LessonPack, diagnostics: [LessonDiagnostic], partial: Bool) {
            let (pack, diagnostics) = load(directory: directory)
            return (pack, diagnostics, false)
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory)
            .filter({ $0.hasSuffix(".md") && $0.lowercased() != "readme.md" && !$0.hasPrefix(".") }).sorted(),
              !names.isEmpty else { return whole() }
        var found: String?
        for name in names {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let declared = declaredID(path) else { return whole() }
            if declared == id {
                if found != nil { return whole() }
                found = path
            }
        }
        guard let path = found, let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else { return whole() }
        let result = LessonParser.parseDetailed(text, file: path)
        guard let lesson = result.lesson, lesson.id == id else { return whole() }
        return (LessonPack(directory: directory, lessons: [lesson]), result.diagnostics, true)
    }

    /// The `id:` of a lesson file's front matter, read from its first 8 KiB the way the parser
    /// reads it; nil when that is not plainly there.
    static func declaredID(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 8192)
        var total = 0
        while total < buffer.count {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + total, $0.count - total) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            total += count
        }
        guard total > 0 else { return nil }
        let text = LessonText(String(decoding: buffer[0..<total], as: UTF8.self))
        var lines = text.lines
        // Maybe cut short: never taken as the closing line.
        if total == buffer.count && !text.endsWithLineEnd && !lines.isEmpty { lines.removeLast() }
        guard let first = lines.first, first.trimmingSpaces == "---" else { return nil }
        var id: String?
        for line in lines.dropFirst() {
            if line.trimmingSpaces == "---" { return id.flatMap { ValueSyntax.isIdentifier($0) ? $0 : nil } }
            if line.isBlank || line.trimmingSpaces.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":"), String(line[..<colon]).trimmingSpaces == "id" else { continue }
            if id != nil { return nil }
            id = String(line[line.index(after: colon)...]).trimmingSpaces
        }
        return nil
    }
}
