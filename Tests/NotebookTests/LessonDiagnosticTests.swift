// Broken lesson files → the exact `file:line:column: message` an author sees.

import Testing
import Vocabulary
@testable import Notebook

/// Diagnostics of `text` parsed as `t.md`.
func diagnostics(_ text: String) -> [String] {
    LessonParser.parse(text, file: "t.md").diagnostics.map(\.description)
}

let frontMatter = "---\nid: t\ntitle: T\norder: 1\n---\n"   // lines 1-5

/// A valid exercise starting at line 6 (heading), whose parts can be replaced.
func exercise(_ id: String = "e", exerciseBlock: String = "", starters: String = "```c starter\nint main(void) { return 0; }\n```\n```swift starter\nprint(1)\n```\n",
              rest: String = "```expect\nexit 0\n```\n") -> String {
    "## Exercise: \(id) — Title\n\nDo it.\n\n" + exerciseBlock + starters + rest
}

@Test func validTemplateHasNoDiagnostics() {
    #expect(diagnostics(frontMatter + exercise()) == [])
    let (lesson, _) = LessonParser.parse(frontMatter + exercise(), file: "t.md")
    #expect(lesson?.exercises.first?.cases.map(\.name) == ["default"])
}

@Test func missingFrontMatter() {
    #expect(diagnostics("# Hello\n") == [
        "t.md:1:1: a lesson file starts with front matter: a line '---', then 'id:', 'title:' and 'order:' lines, then '---'",
    ])
    #expect(LessonParser.parse("# Hello\n", file: "t.md").lesson == nil)
}

@Test func frontMatterProblems() {
    #expect(diagnostics("---\nid: Bad_Id\ntitle:\ncolour: red\norder: three\nid: again\n---\n") == [
        "t.md:2:5: lesson id 'Bad_Id' must be lowercase letters, digits and '-'",
        "t.md:3:7: 'title:' has no value",
        "t.md:4:1: unknown front matter key 'colour' (known: id, title, title.ko, order, requires, recorded, libc)",
        "t.md:5:8: 'order' must be a whole number, found 'three'",
        "t.md:6:1: 'id' is given twice in the front matter (first at line 2)",
    ])
    #expect(diagnostics("---\ntitle: T\n---\n") == [
        "t.md:1:1: the front matter has no 'id:' line",
        "t.md:1:1: the front matter has no 'order:' line",
    ])
    #expect(diagnostics("---\nid: t\n") == [
        "t.md:1:1: the front matter opened here is never closed: add a line '---' after its last key",
    ])
    #expect(diagnostics("---\nid: t\ntitle: T\norder: 2\nrequires: a, B c\n---\n") == [
        "t.md:5:14: prerequisite 'B c' is not a lesson id (lowercase letters, digits and '-')",
    ])
}

@Test func unterminatedFence() {
    #expect(diagnostics(frontMatter + "Some text.\n\n```c cell=x\nint main(void) {}\n") == [
        "t.md:8:1: this ``` block is never closed: add a line ``` after its last line",
    ])
    // A fence inside an exercise: the exercise is reported, and left out.
    let text = frontMatter + exercise(rest: "```expect\nexit 0\n")
    #expect(diagnostics(text) == [
        "t.md:16:1: this ``` block is never closed: add a line ``` after its last line",
        "t.md:6:1: exercise 'e' has no ```expect``` block, so nothing would be checked",
    ])
    #expect(LessonParser.parse(text, file: "t.md").lesson?.exercises == [])
    #expect(LessonParser.parse(text, file: "t.md").lesson?.blocks.contains(.exercise("e")) == false)
}

@Test func unknownAttributes() {
    #expect(diagnostics(frontMatter + exercise(rest: "```expect case=default hiden\nexit 0\n```\n")) == [
        "t.md:16:24: unknown attribute 'hiden' on an expect block (known: case=NAME[,NAME], lang=c|swift, hidden)",
        "t.md:6:1: exercise 'e' has no ```expect``` block, so nothing would be checked",
    ])
    #expect(diagnostics(frontMatter + "```c celll=x\nint x;\n```\n") == [
        "t.md:6:6: unknown attribute 'celll=x' on a c block (known: starter, cell=NAME, tty, env=NAME=VALUE)",
    ])
    #expect(diagnostics(frontMatter + exercise(rest: "```expect lang=rust\nexit 0\n```\n```expect case=nope\nexit 0\n```\n")) == [
        "t.md:16:16: unknown language 'rust' (known: c, swift)",
        "t.md:19:16: expect block names case 'nope', which exercise 'e' does not have (cases: default)",
    ])
}

@Test func starters() {
    #expect(diagnostics(frontMatter + exercise(starters: "```c starter\nint main(void) { return 0; }\n```\n")) == [
        "t.md:6:1: exercise 'e' has no ```swift starter``` block (its languages are c, swift)",
    ])
    #expect(diagnostics(frontMatter + exercise(exerciseBlock: "```exercise\nlanguages: c\n```\n")) == [
        "t.md:16:1: a swift starter, but exercise 'e' declares 'languages: c'",
    ])
    #expect(diagnostics(frontMatter + exercise(exerciseBlock: "```c starter\nint x;\n```\n")) == [
        "t.md:13:1: a second c starter in exercise 'e' (the first is at line 10)",
    ])
    #expect(diagnostics(frontMatter + "```swift starter\nprint(1)\n```\n") == [
        "t.md:6:1: a starter belongs inside an exercise, after a '## Exercise: id — title' heading",
    ])
}

@Test func exerciseHeadings() {
    #expect(diagnostics(frontMatter + exercise() + exercise()) == [
        "t.md:19:14: exercise id 'e' is used twice in this lesson (first at line 6)",
    ])
    // The first one stays.
    let twice = LessonParser.parse(frontMatter + exercise() + exercise(), file: "t.md").lesson
    #expect(twice?.exercises.map(\.id) == ["e"])
    #expect(twice?.blocks.filter { $0 == .exercise("e") }.count == 1)
    #expect(LessonParser.parse(frontMatter + exercise().replacingOccurrences(of: "e — Title", with: "e: Title"), file: "t.md").lesson?.exercises.first?.title.english == "Title")
    #expect(diagnostics(frontMatter + "## Exercise: Big — Title\n") .first == "t.md:6:14: exercise id 'Big' must be lowercase letters, digits and '-'")
    #expect(diagnostics(frontMatter + "## Exercise:\n").first == "t.md:6:12: the exercise heading has no id: write '## Exercise: some-id — Title'")
    #expect(diagnostics(frontMatter + exercise().replacingOccurrences(of: " — Title", with: "")) == [
        "t.md:6:1: the exercise heading has no title: write '## Exercise: e — Title'",
    ])
    #expect(diagnostics(frontMatter + "### Exercise: e — Title\n") == [
        "t.md:6:1: an exercise heading is level 2: write '## Exercise: e — Title'",
    ])
    // No statement, no expect block.
    #expect(diagnostics(frontMatter + "## Exercise: e - T\n```c starter\nx\n```\n```swift starter\nx\n```\n") == [
        "t.md:6:1: exercise 'e' has no statement: write what to do in prose under its heading",
        "t.md:6:1: exercise 'e' has no ```expect``` block, so nothing would be checked",
    ])
}

@Test func aFileFullOfProblemsGetsTheFirstHundredAndACount() {
    let block = "```exercise\n" + (1...500).map { "key\($0): 1\n" }.joined() + "```\n"
    let found = diagnostics(frontMatter + exercise(exerciseBlock: block))
    #expect(found.count == LessonParser.diagnosticsPerFile + 1)
    #expect(found.first?.hasPrefix("t.md:11:1: unknown key 'key1'") == true, "\(found.first ?? "")")
    #expect(found.last == "t.md:111:1: 400 more problems in this file are not shown: fix these first")
}

@Test func exerciseBlockProblems() {
    let block = "```exercise\npoints: many\nlanguages: c, rust\ncpu: fast\nmemory: 12 parsecs\ntimeout: 3s\nexec: yes\npoints: 3\n```\n"
    #expect(diagnostics(frontMatter + exercise(exerciseBlock: block)) == [
        "t.md:11:9: 'points' must be a whole number ≥ 0, found 'many'",
        "t.md:12:15: unknown language 'rust' (known: c, swift)",
        "t.md:13:6: expected a duration such as 2s or 500ms, found 'fast'",
        "t.md:14:9: expected a size such as 4096, 64KiB or 256MiB, found '12 parsecs'",
        "t.md:15:1: unknown key 'timeout' in an exercise block (known: points, credit, languages, title.ko, cpu, wall, memory, processes, stdout, exec)",
        "t.md:16:7: 'exec' is 'allow' or 'deny', found 'yes'",
        "t.md:17:1: 'points' is given twice (first at line 11)",
    ])
    let good = "```exercise\npoints: 5\nwall: 500ms\nstdout: 64KiB\nprocesses: 4\nexec: allow\n# a comment\n```\n"
    let ex = LessonParser.parse(frontMatter + exercise(exerciseBlock: good), file: "t.md").lesson?.exercises.first
    #expect(ex?.points == 5)
    #expect(ex?.limits.wallSeconds == 0.5)
    #expect(ex?.limits.stdoutBytes == 65536)
    #expect(ex?.limits.processes == 4)
    #expect(ex?.limits.allowExec == true)
}

@Test func caseBlocks() {
    // Lines: 16 fence, 17 stdin, 18-20 block, 21 unknown key, 22 file, 23 env, 24 args.
    let bad = "```case one\nstdin: |\n    a\n  b\n    c\ncolour: red\nfile ../x: y\nenv: 1X=2\nargs: \"open\n```\n"
    #expect(diagnostics(frontMatter + exercise(rest: bad + "```expect\nexit 0\n```\n")) == [
        "t.md:19:3: this line of the | block is indented less than its first line (4 spaces)",
        "t.md:21:1: unknown key 'colour' in a case block (known: args, env, inject, stdin, stdin-seq, file NAME, points)",
        "t.md:22:6: file name '../x' must be a plain name in the working directory (no '/', not '.' or '..')",
        "t.md:23:6: expected NAME=VALUE, found '1X=2'",
        "t.md:24:7: unterminated quote: add a closing \"",
    ])
    #expect(diagnostics(frontMatter + exercise(rest: "```case\nstdin: x\n```\n```case a\nstdin: |\nargs: x\n```\n```case a\n```\n```expect\nexit 0\n```\n")) == [
        "t.md:16:1: a case block needs a name: ```case NAME",
        "t.md:20:8: 'stdin: |' is followed by no indented lines: indent the text under it, or write a one-line value",
        "t.md:23:9: case 'a' is defined twice in exercise 'e' (first at line 19)",
    ])
    let seq = "```case s\nstdin-seq: 1 3\nstdin: |\n  3\n```\n```case t\nstdin-seq: 5 x\n```\n"
    #expect(diagnostics(frontMatter + exercise(rest: seq + "```expect\nexit 0\n```\n")) == [
        "t.md:22:12: 'stdin-seq' takes two whole numbers FIRST LAST with FIRST ≤ LAST, found '5 x'",
    ])
    #expect(diagnostics(frontMatter + exercise(rest: "```case s\nstdin-seq: -9000000000000000000 9000000000000000000\n```\n```expect\nexit 0\n```\n")) == [
        "t.md:17:12: 'stdin-seq' may generate at most 1000000 lines",
    ])
    let seqCase = LessonParser.parse(frontMatter + exercise(rest: "```case s\nstdin-seq: 1 3\nstdin: |\n  3\n```\n```expect\nexit 0\n```\n"), file: "t.md")
    #expect(seqCase.lesson?.exercises.first?.cases.first?.standardInput == Array("3\n1\n2\n3\n".utf8))
    let signed = LessonParser.parse(frontMatter + exercise(rest: "```case s\nstdin-seq: -11 1\n```\n```expect\nexit 0\n```\n"), file: "t.md")
    #expect(signed.lesson?.exercises.first?.cases.first?.standardInput == Array((-11...1).map { "\($0)\n" }.joined().utf8))
    var extremes: [UInt8] = []
    ExerciseCase.appendLines(Int.min...(Int.min + 1), to: &extremes)
    ExerciseCase.appendLines((Int.max - 1)...Int.max, to: &extremes)
    #expect(String(decoding: extremes, as: UTF8.self) == "\(Int.min)\n\(Int.min + 1)\n\(Int.max - 1)\n\(Int.max)\n")
    let good = "```case one\nstdin: \"no newline\\n\"\nfile a.txt: |-\n  x\n  y\nenv: A=1 B=\"two words\"\nenv: C=3\n```\n```expect\nexit 0\n```\n"
    let c = LessonParser.parse(frontMatter + exercise(rest: good), file: "t.md").lesson?.exercises.first?.cases.first
    #expect(c?.stdin == "no newline\n")
    #expect(c?.files == ["a.txt": "x\ny"])
    #expect(c?.environment == ["A": "1", "B": "two words", "C": "3"])
    #expect(c?.location == SourceLocation(file: "t.md", line: 16, column: 9))
}

@Test func translations() {
    #expect(diagnostics(frontMatter + "```c cell=a\nint x;\n```\n<details lang=\"ko\"><summary>한국어</summary>\n번역\n</details>\n") == [
        "t.md:9:1: this 'ko' translation follows no English text: put <details lang=\"ko\"> right after the paragraph, heading, statement or hint it translates",
    ])
    #expect(diagnostics(frontMatter + "Text.\n<details lang=\"ko\">\n번역\n</details>\n<details lang=\"ko\">\n또\n</details>\n") == [
        "t.md:10:1: a second 'ko' translation of the same text: merge it into the first one",
    ])
    #expect(diagnostics(frontMatter + "Text.\n<details lang=\"ko\">\n번역\n") == [
        "t.md:7:1: <details lang=\"ko\"> is never closed: add a line </details> after the translation",
    ])
    // <details> without lang= is prose; the summary may sit on its own line.
    let (lesson, d) = LessonParser.parse(frontMatter + "<details><summary>More</summary>x</details>\n\nText.\n\n<details lang=\"ko\">\n<summary>한국어</summary>\n\n번역\n\n</details>\n", file: "t.md")
    #expect(d == [])
    #expect(lesson?.blocks == [.prose(LocalizedText("<details><summary>More</summary>x</details>\n\nText.", translations: ["ko": "번역"]))])
}

@Test func hints() {
    #expect(diagnostics(frontMatter + exercise(rest: "```expect\nexit 0\n```\n### Hints\nTry harder.\n1. Gentle.\n")) == [
        "t.md:20:1: expected a numbered hint ('1. …') under '### Hints'",
    ])
    #expect(diagnostics(frontMatter + "### Hints\n1. x\n") == [
        "t.md:6:1: '### Hints' outside an exercise: hints belong under a '## Exercise: id — title' heading",
    ])
    let text = frontMatter + exercise(rest: "### Hints\n\n1) Gentle.\n2. Explicit,\n   on two lines.\n\n### Notes\n\nMore statement.\n```expect\nexit 0\n```\n")
    let ex = LessonParser.parse(text, file: "t.md").lesson?.exercises.first
    #expect(ex?.hints == [LocalizedText("Gentle."), LocalizedText("Explicit,\non two lines.")])
    #expect(ex?.statement.english == "Do it.\n\n### Notes\n\nMore statement.")
    // The last hint of a file, and of an exercise ended by the next one.
    let atEnd = LessonParser.parse(frontMatter + exercise(rest: "```expect\nexit 0\n```\n### Hints\n1. Only.\n<details lang=\"ko\">\n유일\n</details>\n") + exercise("f", rest: "```expect\nexit 0\n```\n### Hints\n1. Last.\n2. Very last."), file: "t.md").lesson
    #expect(atEnd?.exercises.map(\.hints) == [[LocalizedText("Only.", translations: ["ko": "유일"])], [LocalizedText("Last."), LocalizedText("Very last.")]])
}

@Test func structuredBlocksOutsideExercises() {
    #expect(diagnostics(frontMatter + "```expect\nexit 0\n```\n```case a\n```\n") == [
        "t.md:6:1: a ```expect``` block belongs inside an exercise, after a '## Exercise: id — title' heading",
        "t.md:9:1: a ```case``` block belongs inside an exercise, after a '## Exercise: id — title' heading",
    ])
    #expect(diagnostics(frontMatter + exercise(rest: "```expect\n\n```\n")) == [
        "t.md:16:1: this expect block is empty: write at least one expectation, or remove it",
        "t.md:6:1: exercise 'e' has no ```expect``` block, so nothing would be checked",
    ])
}

@Test func fencesHideStructure() {
    // A level-2 heading inside a prose fence does not end the exercise.
    let text = frontMatter + exercise(rest: "~~~~text\n## Exercise: not-one — No\n```\n~~~~\n```expect\nexit 0\n```\n")
    let (lesson, d) = LessonParser.parse(text, file: "t.md")
    #expect(d == [])
    #expect(lesson?.exercises.map(\.id) == ["e"])
    #expect(lesson?.exercises.first?.statement.english.contains("## Exercise: not-one") == true)
}
