// The text of a lesson file as the parser reads it: UTF-8, an optional byte order mark, lines
// ended by LF or CR LF (a file saved on Windows), the last one with or without its line end.
// Every reader of a lesson file (the parser, the front matter scan of LessonPackIndex, `lessons
// record`'s rewrite) splits it here, so a CR LF file is the same lesson as its LF form.

import Foundation

package struct LessonText: Equatable {
    /// The lines, without their line ends; none after a final line end.
    package var lines: [String]
    /// The file started with a UTF-8 byte order mark (dropped from `lines`).
    package var byteOrderMark = false
    /// "\r\n" when the first line end is CR LF, else "\n": what a rewrite writes back.
    package var lineEnd = "\n"
    /// The last line had its line end.
    package var endsWithLineEnd = false
    /// Lines (0-based) holding a carriage return not followed by LF, and its column (1-based,
    /// in Characters): an old Mac line end or a stray CR, which no editor shows the same way.
    package var loneCarriageReturns: [(line: Int, column: Int)] = []

    package static func == (a: LessonText, b: LessonText) -> Bool {
        a.lines == b.lines && a.byteOrderMark == b.byteOrderMark && a.lineEnd == b.lineEnd
            && a.endsWithLineEnd == b.endsWithLineEnd
            && a.loneCarriageReturns.map { [$0.line, $0.column] } == b.loneCarriageReturns.map { [$0.line, $0.column] }
    }

    /// Splits on the UTF-8 bytes: a LF ends a line, a CR just before it belongs to the line end,
    /// and so does a CR that is the file's last byte. Splitting the String's Characters instead
    /// would not end a line at CR LF (one Character), which made a Windows file one long line.
    package init(_ text: String) {
        var text = text
        if text.utf8.starts(with: [0xEF, 0xBB, 0xBF]) {
            byteOrderMark = true
            text = String(decoding: text.utf8.dropFirst(3), as: UTF8.self)
        }
        var lines: [String] = []
        var lone: [(line: Int, column: Int)] = []
        var firstEnd: String?
        let count = text.utf8.count
        text.withUTF8 { bytes in
            var start = 0
            var loneAt: Int?
            func line(_ end: Int) {
                let last = end > start && bytes[end - 1] == 0x0D ? end - 1 : end
                let content = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<last]), as: UTF8.self)
                if let at = loneAt, at < last {
                    let column = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self).count + 1
                    lone.append((lines.count, column))
                }
                lines.append(content)
                loneAt = nil
            }
            for index in 0..<bytes.count {
                switch bytes[index] {
                case 0x0A:
                    if firstEnd == nil { firstEnd = index > start && bytes[index - 1] == 0x0D ? "\r\n" : "\n" }
                    line(index)
                    start = index + 1
                case 0x0D:
                    if loneAt == nil, index + 1 < bytes.count, bytes[index + 1] != 0x0A { loneAt = index }
                default:
                    break
                }
            }
            if start < bytes.count || bytes.isEmpty { line(bytes.count) }
        }
        self.lines = lines
        self.loneCarriageReturns = lone
        self.lineEnd = firstEnd ?? "\n"
        self.endsWithLineEnd = count > 0 && text.utf8.last == 0x0A
    }

    /// The file again, with its byte order mark, its line end and its final line end as read.
    package var text: String {
        var out = byteOrderMark ? "\u{FEFF}" : ""
        out += lines.joined(separator: lineEnd)
        if endsWithLineEnd && !lines.isEmpty { out += lineEnd }
        return out
    }

    /// The text of a lesson file's bytes, or why they are not one (a sentence for a diagnostic).
    package static func decode(_ data: Data) -> Result<String, LessonTextError> {
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            return .failure(LessonTextError(line: 1, message: "this lesson file is UTF-16 (it starts with a UTF-16 byte order mark): save it as UTF-8"))
        }
        if let text = String(data: data, encoding: .utf8) { return .success(text) }
        // Name the first line with a byte that is not UTF-8, so the author can find it.
        var line = 1
        var index = data.startIndex
        while index < data.endIndex {
            let end = data[index...].firstIndex(of: 0x0A) ?? data.endIndex
            if String(data: data[index..<end], encoding: .utf8) == nil { break }
            line += 1
            index = end < data.endIndex ? data.index(after: end) : end
        }
        return .failure(LessonTextError(line: line, message: "this lesson file is not valid UTF-8 (this line has a byte that is not): save it as UTF-8"))
    }
}

package struct LessonTextError: Error, Equatable {
    package var line: Int
    package var message: String
}
