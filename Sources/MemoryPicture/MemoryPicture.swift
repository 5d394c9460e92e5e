// Draws a `MemoryMap` for a learner: a short summary, the address space as a column of boxes
// (high addresses on top, not to scale), and the details: each move of the break, each mapping
// with the call that made it and what became of it, failed calls, and faults placed against
// the mappings. Unicode boxes on a terminal, plain ASCII otherwise.

import Syscalls

public enum MemoryPicture {
    public struct Style: Sendable, Hashable {
        /// ASCII only (`+--+`, `|`, `<-`).
        public var plain: Bool
        /// ANSI colours.
        public var color: Bool
        /// Rows of each table before it is cut with a note.
        public var maxRows: Int
        /// The tables under the picture (break moves, mappings, failed calls, faults).
        public var tables: Bool

        public init(plain: Bool = false, color: Bool = false, maxRows: Int = 20, tables: Bool = true) {
            self.plain = plain
            self.color = color
            self.maxRows = maxRows
            self.tables = tables
        }
    }

    /// The picture of everything `run` did to memory after main (every process that did something).
    public static func render(_ run: ProgramRun, style: Style = Style()) -> String {
        let maps = MemoryMap.maps(of: run)
        let multi = maps.count > 1
        return maps.map { render($0, style: style, showProcess: multi) }.joined(separator: "\n")
    }

    public static func render(_ map: MemoryMap, style: Style = Style(), showProcess: Bool = false) -> String {
        var drawer = Drawer(map: map, style: style)
        let text = drawer.draw(showProcess: showProcess)
        return style.plain ? ascii(text) : text
    }

    static func ascii(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "┌", "┐", "└", "┘", "├", "┤": out.append("+")
            case "─": out.append("-")
            case "│": out.append("|")
            case "┆": out.append(":")
            case "←": out.append("<-")
            case "→": out.append("->")
            case "✗": out.append("X")
            case "·": out.append("-")
            case "×": out.append("x")
            case "–", "—": out.append("-")
            case "…": out.append("...")
            default: out.append(ch)
            }
        }
        return out
    }
}

private enum Paint: String {
    case heap = "32", mapping = "36", gone = "2", fault = "1;31", title = "1", pointer = "33"
}

private struct Drawer {
    let map: MemoryMap
    let style: MemoryPicture.Style
    let boxWidth = 30
    var lines: [String] = []

    init(map: MemoryMap, style: MemoryPicture.Style) {
        self.map = map
        self.style = style
    }

    func paint(_ text: String, _ paint: Paint) -> String {
        style.color ? "\u{1B}[\(paint.rawValue)m\(text)\u{1B}[0m" : text
    }

    mutating func draw(showProcess: Bool) -> String {
        let who = showProcess ? (map.isRoot ? " — process \(map.processID)" : " — child process \(map.processID)") : ""
        lines.append(paint("Memory after main\(who)", .title))
        summary()
        column()
        if style.tables {
            breakTable()
            mappingTable()
            failedTable()
        }
        faultTable()
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: summary

    mutating func summary() {
        var heapParts: [String] = []
        let moves = map.breakMoves.filter(\.succeeded)
        let failed = map.breakMoves.count - moves.count
        if let start = map.heapStart { heapParts.append("starts at \(Sizes.hex(start))") }
        if moves.isEmpty {
            heapParts.append("the break did not move after main" + (map.finalBreak.map { " (it is at \(Sizes.hex($0)))" } ?? ""))
        } else {
            var moved = "the break moved \(moves.count == 1 ? "once" : "\(moves.count) times") after main"
            if let first = moves.first?.from ?? map.breakAtMain, let last = map.finalBreak {
                moved += ": \(Sizes.signedDelta(first, last))\(moves.count == 1 ? "" : " in all"), now \(Sizes.hex(last))"
            }
            heapParts.append(moved)
        }
        if failed > 0 { heapParts.append("\(failed) brk call\(failed == 1 ? "" : "s") failed") }
        let heapLine = heapParts.joined(separator: "; ")
        lines.append("  heap      \(heapLine)")

        if map.mappings.isEmpty {
            lines.append("  mappings  none made after main")
        } else {
            let live = map.mappings.filter { $0.unmappedAt == nil }
            var text = "\(count(map.mappings.count, "made")) after main, \(live.count) still mapped at exit"
            let sizes = Dictionary(grouping: map.mappings, by: \.length)
            if sizes.count == 1, let size = sizes.keys.first {
                text += " (\(map.mappings.count == 1 ? "" : "\(map.mappings.count) × ")\(Sizes.human(size)))"
            }
            lines.append("  mappings  \(text)")
        }
        if !map.failedCalls.isEmpty {
            lines.append("  failed    \(map.failedCalls.count) memory call\(map.failedCalls.count == 1 ? "" : "s") failed (nothing changed)")
        }
        if !map.pointers.isEmpty {
            lines.append("  pointers  \(map.pointers.count) printed: \(pointerSummary())")
        }
        for fault in map.faults {
            lines.append(paint("  fault     \(FaultSignal.name(fault.signal)) at \(Sizes.hex(fault.address)): \(placeWords(fault.address))", .fault))
        }
    }

    func count(_ n: Int, _ verb: String) -> String { n == 1 ? "1 \(verb)" : "\(n) \(verb)" }

    func pointerSummary() -> String {
        var inHeap = 0
        var perMapping: [Int: Int] = [:]
        var gone = 0
        var outside = 0
        for pointer in map.pointers {
            switch map.place(pointer.address) {
            case .heap: inHeap += 1
            case .mapping(let n, _): perMapping[n, default: 0] += 1
            case .unmappedMapping: gone += 1
            case .outside: outside += 1
            }
        }
        var parts: [String] = []
        let total = map.pointers.count
        if inHeap == total { return total == 1 ? "inside the heap" : "all \(total) inside the heap" }
        if inHeap > 0 { parts.append("\(inHeap) inside the heap") }
        if !perMapping.isEmpty {
            let numbers = perMapping.keys.sorted()
            if perMapping.values.allSatisfy({ $0 == 1 }) && numbers.count > 1 {
                parts.append("one in each of mappings \(numbers.map(String.init).joined(separator: ", "))")
            } else {
                parts.append(numbers.map { "\(perMapping[$0]!) in mapping \($0)" }.joined(separator: ", "))
            }
        }
        if gone > 0 { parts.append("\(gone) in memory already unmapped") }
        if outside > 0 { parts.append("\(outside) outside the heap and every mapping made after main") }
        return parts.joined(separator: "; ")
    }

    func placeWords(_ address: UInt64) -> String {
        switch map.place(address) {
        case .heap(let offset): return "inside the heap, \(offset) bytes after its start"
        case .mapping(let n, let offset):
            let mapping = map.mappings[n - 1]
            return "inside mapping \(n) (\(Protection.short(mapping.protection)) \(MapFlags.words(mapping.flags))), \(offset) bytes after its start"
        case .unmappedMapping(let n, let offset):
            return "inside mapping \(n), \(offset) bytes after its start, but it was already unmapped (\(map.mappings[n - 1].unmappedBy(at: address) ?? "unmapped"))"
        case .outside:
            if address < Sizes.page { return "in the first page, which is never mapped: a NULL pointer was used" }
            return "outside the heap and every mapping made after main"
        }
    }

    // MARK: the column

    /// A box in the column: a region with its label lines and marks (addresses inside it).
    struct Region {
        var start: UInt64
        var end: UInt64
        var label: [String]
        var paint: Paint
        var topNote: String?
        var bottomNote: String?
        var marks: [(UInt64, String, Paint)]
    }

    mutating func column() {
        var regions: [Region] = []
        if let heap = map.heap, heap.end > heap.start {
            var marks: [(UInt64, String, Paint)] = []
            if let atMain = map.breakAtMain, atMain > heap.start, atMain < heap.end {
                marks.append((atMain, "break when main started", .heap))
            }
            for move in map.breakMoves where move.succeeded && move.to > heap.start && move.to < heap.end {
                marks.append((move.to, "break after #\(move.sequence) brk", .heap))
            }
            let moveCount = map.breakMoves.filter(\.succeeded).count
            var topNote = "break at exit"
            if let last = map.breakMoves.last(where: { $0.succeeded }), last.to == heap.end {
                topNote = "break at exit (#\(last.sequence) brk)"
            }
            regions.append(Region(start: heap.start, end: heap.end,
                                  label: ["heap · \(Sizes.human(heap.end - heap.start))",
                                          moveCount == 0 ? "no brk move after main" : "grown by \(moveCount) brk after main"],
                                  paint: .heap, topNote: topNote,
                                  bottomNote: map.heapStart == heap.start ? "heap start (first brk(NULL))" : "break when main started",
                                  marks: marks))
        }
        for mapping in map.mappings {
            var label = ["mapping \(mapping.number) · \(Sizes.human(mapping.length))",
                         "\(Protection.short(mapping.protection)) \(MapFlags.words(mapping.flags))"]
            if !mapping.isAnonymous && mapping.fd >= 0 { label.append("fd \(mapping.fd) offset \(mapping.offset)") }
            label.append("made by #\(mapping.sequence)")
            if let by = mapping.unmappedBy { label.append("gone: \(by)") }
            for change in mapping.changes { label.append(change) }
            regions.append(Region(start: mapping.start, end: mapping.end, label: label,
                                  paint: mapping.unmappedAt == nil ? .mapping : .gone, marks: []))
        }
        // Place pointers and faults in the innermost (latest) region containing them.
        var loose: [(UInt64, String, Paint)] = []
        var points: [(UInt64, String, Paint)] = map.pointers.map { ($0.address, "\(Sizes.hex($0.address)) printed", .pointer) }
        points += map.faults.map { ($0.address, "✗ \(FaultSignal.name($0.signal)) at \(Sizes.hex($0.address))", .fault) }
        for point in points {
            if let index = regionIndex(for: point.0, in: regions) {
                regions[index].marks.append(point)
            } else {
                loose.append(point)
            }
        }
        let limit = 16
        regions.sort { $0.end != $1.end ? $0.end > $1.end : $0.start > $1.start }
        let shown = Array(regions.prefix(limit))
        loose = loose.filter { point in shown.isEmpty || point.0 >= shown.last!.start || regions.count <= limit }

        enum Item { case region(Region), mark(UInt64, String, Paint) }
        var items: [(UInt64, UInt64, Item)] = shown.map { ($0.end, $0.start, .region($0)) }
        items += loose.map { ($0.0 &+ 1, $0.0, .mark($0.0, $0.1, $0.2)) }
        items.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 > $1.1 }
        guard !items.isEmpty else { return }
        lines.append("")

        let addressWidth = max(items.map { Sizes.hex($0.0).count }.max() ?? 0, items.map { Sizes.hex($0.1).count }.max() ?? 0)
        func pad(_ s: String) -> String { String(repeating: " ", count: max(0, addressWidth - s.count)) + s }
        let blank = String(repeating: " ", count: addressWidth)
        let rule = String(repeating: "─", count: boxWidth + 2)

        var previousBottom: UInt64?
        var openBox = false  // the previous region's bottom edge is still to be drawn
        var previousPaint = Paint.heap
        var previousBottomNote: String?
        for (index, item) in items.enumerated() {
            let top = item.0
            let adjacent = previousBottom == top
            if openBox, !adjacent, let bottom = previousBottom {
                lines.append("  \(pad(Sizes.hex(bottom))) " + paint("└\(rule)┘", previousPaint) + note(previousBottomNote))
                openBox = false
            }
            if let bottom = previousBottom, bottom > top, !adjacent {
                let gap = "\(Sizes.human(bottom - top)) not drawn"
                lines.append("  \(blank) ┆\(centered(gap, boxWidth + 2))┆")
            }
            switch item.2 {
            case .mark(let address, let text, let p):
                lines.append("  \(pad(Sizes.hex(address))) " + paint(text, p))
                previousBottom = address
                openBox = false
            case .region(let region):
                let corner = openBox && adjacent ? ("├", "┤") : ("┌", "┐")
                let topNote = adjacent && openBox ? [previousBottomNote, region.topNote].compactMap { $0 }.joined(separator: " / ") : region.topNote
                lines.append("  \(pad(Sizes.hex(region.end))) " + paint("\(corner.0)\(rule)\(corner.1)", region.paint) + note(topNote.flatMap { $0.isEmpty ? nil : $0 }))
                let marks = region.marks.sorted { $0.0 > $1.0 }
                let shownMarks = marks.count > 8 ? Array(marks.prefix(7)) : marks
                var rows = max(region.label.count, shownMarks.count + (marks.count > 8 ? 1 : 0))
                rows = max(rows, 1)
                for row in 0..<rows {
                    let label = row < region.label.count ? fit(region.label[row]) : ""
                    var right = ""
                    if row < shownMarks.count {
                        let mark = shownMarks[row]
                        right = " " + paint("← \(mark.1)", mark.2)
                    } else if row == shownMarks.count && marks.count > 8 {
                        right = " ← … \(marks.count - 7) more"
                    }
                    let side = paint("│", region.paint)
                    lines.append("  \(blank) \(side) \(label)\(String(repeating: " ", count: boxWidth - label.count)) \(side)\(right)")
                }
                previousBottom = region.start
                previousPaint = region.paint
                previousBottomNote = region.bottomNote
                openBox = true
            }
            if index == items.count - 1, openBox {
                lines.append("  \(pad(Sizes.hex(previousBottom!))) " + paint("└\(rule)┘", previousPaint) + note(previousBottomNote))
            }
        }
        if regions.count > limit {
            lines.append("  … \(regions.count - limit) more regions below, in the table")
        }
    }

    func note(_ text: String?) -> String { text.map { " ← \($0)" } ?? "" }

    func regionIndex(for address: UInt64, in regions: [Region]) -> Int? {
        // Prefer live mappings, then the heap, then unmapped ones; the latest made wins.
        if let i = regions.indices.last(where: { regions[$0].paint == .mapping && address >= regions[$0].start && address < regions[$0].end }) { return i }
        if let i = regions.indices.first(where: { regions[$0].paint == .heap && address >= regions[$0].start && address < regions[$0].end }) { return i }
        return regions.indices.last(where: { address >= regions[$0].start && address < regions[$0].end })
    }

    func fit(_ text: String) -> String {
        text.count <= boxWidth ? text : String(text.prefix(boxWidth - 1)) + "…"
    }

    func centered(_ text: String, _ width: Int) -> String {
        let t = text.count > width ? String(text.prefix(width)) : text
        let left = (width - t.count) / 2
        return String(repeating: " ", count: left) + t + String(repeating: " ", count: width - t.count - left)
    }

    // MARK: tables

    mutating func cut(_ total: Int) {
        if total > style.maxRows {
            lines.append("  … \(total - style.maxRows) more (every call: lessons trace -- PROGRAM)")
        }
    }

    mutating func breakTable() {
        guard !map.breakMoves.isEmpty else { return }
        lines.append("")
        lines.append(paint("Moves of the program break", .title))
        for move in map.breakMoves.prefix(style.maxRows) {
            let call = "#\(move.sequence) brk(\(Sizes.hex(move.requested))) = \(Sizes.hex(move.to))"
            if move.succeeded {
                let delta = move.from.map { "  \(Sizes.signedDelta($0, move.to))" } ?? ""
                let from = move.from.map { "\(Sizes.hex($0)) → " } ?? ""
                lines.append("  \(call)   \(from)\(Sizes.hex(move.to))\(delta)")
            } else {
                lines.append("  \(call)   failed: the break stays at \(Sizes.hex(move.to))")
            }
        }
        cut(map.breakMoves.count)
    }

    mutating func mappingTable() {
        guard !map.mappings.isEmpty else { return }
        lines.append("")
        lines.append(paint("Mappings made after main", .title))
        for mapping in map.mappings.prefix(style.maxRows) {
            let head = "  \(mapping.number)  \(Sizes.hex(mapping.start))–\(Sizes.hex(mapping.end))  \(Sizes.exact(mapping.length))  \(Protection.short(mapping.protection))  \(MapFlags.words(mapping.flags))"
            lines.append(paint(head, mapping.unmappedAt == nil ? .mapping : .gone))
            lines.append("     made by #\(mapping.sequence) \(mapping.call)")
            for change in mapping.changes { lines.append("     \(change)") }
            lines.append("     \(mapping.unmappedBy.map { "unmapped by \($0)" } ?? "still mapped at exit")")
        }
        cut(map.mappings.count)
    }

    mutating func failedTable() {
        guard !map.failedCalls.isEmpty else { return }
        lines.append("")
        lines.append(paint("Memory calls that failed (nothing was mapped or moved)", .title))
        for failed in map.failedCalls.prefix(style.maxRows) {
            lines.append("  #\(failed.sequence) \(failed.call)")
        }
        cut(map.failedCalls.count)
    }

    mutating func faultTable() {
        guard !map.faults.isEmpty else { return }
        lines.append("")
        lines.append(paint("Faults", .title))
        for fault in map.faults {
            var head = "  #\(fault.sequence) \(FaultSignal.name(fault.signal)) at \(Sizes.hex(fault.address))"
            if let code = FaultSignal.code(signal: fault.signal, code: fault.code) { head += " (\(code))" }
            lines.append(paint(head, .fault))
            lines.append("     \(placeWords(fault.address))")
            if case .mapping(let n, _) = map.place(fault.address), fault.code == 2 {
                let mapping = map.mappings[n - 1]
                if mapping.protection & Protection.write == 0 {
                    lines.append("     mapping \(n) is \(Protection.symbolic(mapping.protection)) only: writing there faults")
                }
            }
        }
    }
}
