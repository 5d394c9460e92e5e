// Turns a compiler's raw output into what a learner may see: their own file name instead
// of the scratch copy's path, no `-H` include listing, and nothing quoted from a file
// outside the submission (a learner's `#include "/etc/shadow"` or `#line 1 "/etc/shadow"`
// must not echo that file), capped in size.

import Foundation

enum CompilerOutput {
    static let cap = 64 * 1024

    /// The headers `-H` listed (`. /usr/include/stdio.h`), in order.
    static func includes(_ output: String) -> [String] {
        output.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
            includePath(Substring(line))
        }
    }

    /// Byte by byte: every line of the output is asked, ~70 of them for a C file's headers.
    private static func includePath(_ line: Substring) -> String? {
        let bytes = line.utf8
        var index = bytes.startIndex
        while index != bytes.endIndex && bytes[index] == UInt8(ascii: ".") { index = bytes.index(after: index) }
        guard index != bytes.startIndex, index != bytes.endIndex, bytes[index] == UInt8(ascii: " ") else { return nil }
        let path = bytes.index(after: index)
        return path == bytes.endIndex ? nil : String(line[path...])
    }

    /// Whether `path` (as the compiler named it, relative to `workDirectory`) may be shown:
    /// the submission itself, or a file under one of `systemPrefixes`.
    static func isShowable(_ path: String, sourceName: String, workDirectory: String, systemPrefixes: [String],
                           resolver: SymlinkResolver = SymlinkResolver()) -> Bool {
        if path == "<stdin>" || path == "<built-in>" || path == "<command-line>" || path == "<unknown>" { return true }
        let absolute = path.hasPrefix("/") ? path : workDirectory + "/" + path
        let standardized = normalized(absolute)
        let source = normalized(workDirectory + "/" + sourceName)
        if standardized == source { return true }
        let real = resolver.resolve(standardized)
        if systemPrefixes.contains(where: { standardized.hasPrefix($0) && real.hasPrefix($0) }) { return true }
        return real == resolver.resolve(source)
    }

    /// `resolvingSymlinks`, asking the file system once per directory: a C file's include list
    /// names ~70 headers in ~10 directories, and realpath(3) of each read every component's link
    /// (~350 readlink calls, ~1 ms of a cold check). A name that is no symbolic link itself (one
    /// lstat) is its directory's real path plus the name; any other goes to realpath whole.
    final class SymlinkResolver {
        private var directories: [String: String] = [:]
        private var resolved: [String: String] = [:]

        init() {}

        /// `path`: absolute, without `.`, `..` or repeated slashes (`normalized`).
        func resolve(_ path: String) -> String {
            if let known = resolved[path] { return known }
            let real = resolveOnce(path)
            resolved[path] = real
            return real
        }

        private func resolveOnce(_ path: String) -> String {
            var info = stat()
            guard let slash = path.lastIndex(of: "/"), slash != path.index(before: path.endIndex),
                  lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFLNK else {
                return CompilerOutput.resolvingSymlinks(path)
            }
            let directory = slash == path.startIndex ? "/" : String(path[..<slash])
            let realDirectory: String
            if let known = directories[directory] {
                realDirectory = known
            } else {
                realDirectory = CompilerOutput.resolvingSymlinks(directory)
                directories[directory] = realDirectory
            }
            let name = path[path.index(after: slash)...]
            return realDirectory == "/" ? "/" + name : realDirectory + "/" + name
        }
    }

    /// `path` (absolute) with `.`, `..` and repeated slashes taken out, as text: what it names
    /// on the machine is `resolvingSymlinks`'s business. (Foundation's standardizingPath also
    /// reads every component's link, in Swift: for a C file's thirty headers, a thousand
    /// readlink calls and milliseconds, and for the compiler's paths inside its private /tmp,
    /// links of the machine's that do not apply there.)
    static func normalized(_ path: String) -> String {
        if isNormalized(path) { return path }  // most headers' paths: one pass over the bytes
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Whether `normalized` would give `path` back as it is: absolute, and no empty, `.` or `..`
    /// component, no slash at the end (but `/` itself).
    static func isNormalized(_ path: String) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        guard path.utf8.first == slash else { return false }
        var length = 0, dots = 0  // of the component being read
        for byte in path.utf8.dropFirst() {
            if byte == slash {
                if length == 0 || (dots == length && length <= 2) { return false }
                length = 0
                dots = 0
            } else {
                length += 1
                if byte == dot { dots += 1 }
            }
        }
        return path.utf8.count == 1 || (length > 0 && !(dots == length && length <= 2))
    }

    /// `path` with its symbolic links resolved: realpath(3) for a path that exists (one call,
    /// where Foundation's resolvingSymlinksInPath reads every component's link in Swift: a
    /// C file's thirty headers cost milliseconds), Foundation's answer for one that does not.
    static func resolvingSymlinks(_ path: String) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        return (path as NSString).resolvingSymlinksInPath
    }

    /// The learner-facing text of `output`, and whether diagnostics about other files were left out.
    static func clean(_ output: String, sourceName: String, displayName: String, workDirectory: String,
                      systemPrefixes: [String]) -> (text: String, hidOtherFiles: Bool) {
        var hid = false
        var kept: [String] = []
        var dropping = false
        var inGuardList = false
        for rawLine in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if includePath(rawLine) != nil || isDriverNoise(rawLine) { continue }
            var line = String(rawLine)
            if line == "Multiple include guards may be useful for:" { inGuardList = true; continue }
            if inGuardList {
                if !line.contains(": ") && !line.isEmpty { continue }
                inGuardList = false
            }
            line = line.replacingOccurrences(of: workDirectory + "/", with: "")
                .replacingOccurrences(of: workDirectory, with: ".")
            if let assembler = assemblerMessage(line, displayName: displayName) {
                // The assembler speaks of gcc's temporary `ccXXXXXX.s`, made from the learner's
                // own file (an `.incbin` or `.include` in inline assembly it could not open).
                dropping = false
                if !assembler.isEmpty { kept.append(assembler) }
                continue
            }
            if let path = locatedPath(line) {
                dropping = !isShowable(path, sourceName: sourceName, workDirectory: workDirectory, systemPrefixes: systemPrefixes)
                if dropping { hid = true; continue }
                kept.append(rename(line, path: path, sourceName: sourceName, displayName: displayName))
            } else if isContinuation(line) {
                if !dropping { kept.append(line) }
            } else {
                dropping = false
                kept.append(renameObjects(line, displayName: displayName))
            }
        }
        while let last = kept.last, last.isEmpty { kept.removeLast() }
        return (capped(kept.joined(separator: "\n")), hid)
    }

    /// gcc's temporary assembly file of the learner's program, as the assembler names it.
    static func isTemporaryAssembly(_ name: Substring) -> Bool {
        name.count == 10 && name.hasPrefix("cc") && name.hasSuffix(".s")
            && name.dropFirst(2).dropLast(2).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// `ccAbCd12.s: Assembler messages:` → "" (dropped); `ccAbCd12.s:7: Error: …` →
    /// `grow.c: assembler: Error: …` (the line is of the temporary file, not the learner's);
    /// nil for any other line.
    static func assemblerMessage(_ line: String, displayName: String) -> String? {
        guard let colon = line.firstIndex(of: ":"), isTemporaryAssembly(line[..<colon]) else { return nil }
        var rest = line[line.index(after: colon)...]
        if rest == " Assembler messages:" { return "" }
        let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        if !digits.isEmpty, rest.dropFirst(digits.count).first == ":" { rest = rest.dropFirst(digits.count + 1) }
        return "\(displayName): assembler:" + rest
    }

    /// The file a diagnostic line is about: `f.c:3:5: error: …`, `f.c: In function …`,
    /// `In file included from f.c:1:`, `                 from f.c:2,`.
    static func locatedPath(_ line: String) -> String? {
        var rest = Substring(line)
        for prefix in ["In file included from "] where rest.hasPrefix(prefix) { rest = rest.dropFirst(prefix.count) }
        let trimmed = rest.drop(while: { $0 == " " })
        if trimmed.hasPrefix("from "), trimmed.count < rest.count { rest = trimmed.dropFirst(5) }
        guard let first = rest.first, first != " ", first != "\t" else { return nil }
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let path = rest[..<colon]
        let after = rest[rest.index(after: colon)...]
        if path.contains(" ") && !path.hasPrefix("/") { return nil }
        let digits = after.prefix(while: { $0.isASCII && $0.isNumber })
        if !digits.isEmpty, let next = after.dropFirst(digits.count).first, next == ":" || next == "," {
            return String(path)
        }
        for phrase in [" In function", " In member function", " At top level", " In instantiation", " In static member function"]
            where after.hasPrefix(phrase) {
            return String(path)
        }
        return nil
    }

    /// The Swift driver's summary of a failed job (`error: emit-module command failed with exit
    /// code 1 (use -v to see invocation)`): the real errors are printed too.
    private static func isDriverNoise(_ line: Substring) -> Bool {
        line.hasPrefix("error: ") && line.hasSuffix(" (use -v to see invocation)") && line.contains(" command failed ")
    }

    /// Source quotes, carets and fix-its that belong to the diagnostic above them.
    private static func isContinuation(_ line: String) -> Bool {
        if let first = line.first, first == " " || first == "\t" { return true }
        // Swift's source context: `12 | let x = …`.
        let digits = line.prefix(while: { $0.isASCII && $0.isNumber })
        return line.dropFirst(digits.count).hasPrefix(" |")
    }

    private static func rename(_ line: String, path: String, sourceName: String, displayName: String) -> String {
        guard path == sourceName || path == "./" + sourceName else { return line }
        guard let range = line.range(of: path + ":") else { return line }
        return line.replacingCharacters(in: range, with: displayName + ":")
    }

    /// The linker names the scratch object (`ccAbCd12.o`, `main-1a2b3c.o`): call it the learner's file.
    private static func renameObjects(_ line: String, displayName: String) -> String {
        var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for (index, word) in words.enumerated() {
            let bare = word.hasSuffix(":") ? String(word.dropLast()) : word
            if bare.hasSuffix(".o"), !bare.contains("/") {
                words[index] = displayName + (word.hasSuffix(":") ? ":" : "")
            }
        }
        return words.joined(separator: " ")
    }

    static func capped(_ text: String) -> String {
        guard text.utf8.count > cap else { return text }
        var bytes = Array(text.utf8.prefix(cap))
        if let newline = bytes.lastIndex(of: UInt8(ascii: "\n")) { bytes.removeSubrange(newline...) }
        return String(decoding: bytes, as: UTF8.self) + "\n… (compiler output cut at 64 KiB)"
    }
}
