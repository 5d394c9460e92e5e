// Where a new workspace goes when the learner did not name a folder. As rustlings does, a
// workspace is a folder of its own, `./lessons-work`, and none is ever started silently inside
// a source tree: `swift run lessons` leaves a newcomer in this project's own checkout, and
// exercise folders beside `Sources/` would mix the learner's work with the tool's. An empty folder is taken as it is
// (the learner made it for this); `lessons init DIR` puts one anywhere, as told.

import Foundation

enum WorkspacePlace {
    /// The folder `lessons init` starts a workspace in, beside whatever else is here.
    static let folderName = "lessons-work"

    /// What marks the root of a project's source tree: version control, then build files.
    static let sourceTreeMarkers = [
        "Package.swift", ".git", ".hg", ".svn", ".jj", "Cargo.toml", "go.mod", "package.json", "pyproject.toml", "setup.py",
        "CMakeLists.txt", "meson.build", "configure.ac", "configure", "Makefile", "GNUmakefile", "makefile", "build.gradle", "pom.xml",
    ]

    /// The source tree `directory` lies in: the nearest folder at or above it holding one of
    /// the markers, and the marker (the first of the list, when it holds several).
    static func sourceTree(containing directory: String) -> (root: String, marker: String)? {
        var current = (directory as NSString).standardizingPath
        while true {
            for marker in sourceTreeMarkers
            where FileManager.default.fileExists(atPath: (current as NSString).appendingPathComponent(marker)) {
                return (current, marker)
            }
            if current == "/" || current.isEmpty { return nil }
            current = (current as NSString).deletingLastPathComponent
        }
    }

    /// `directory/lessons-work`.
    static func defaultFolder(in directory: String) -> String {
        ((directory as NSString).standardizingPath as NSString).appendingPathComponent(folderName)
    }

    /// Where `lessons init` with no DIR starts a workspace: here if this folder is empty, else
    /// `./lessons-work`.
    static func forInit(in directory: String) -> String {
        isEmpty(directory) ? (directory as NSString).standardizingPath : defaultFolder(in: directory)
    }

    /// Where `next` (or `watch`) starts a workspace when there is none: as `init` would, but
    /// never inside a source tree; there it refuses, saying what to run.
    static func forFirstUse(in directory: String) throws(LessonsFailure) -> String {
        if let tree = sourceTree(containing: directory) {
            throw LessonsFailure.usage(insideSourceTree(directory, tree) + "; run 'lessons init' to keep your exercises in ./\(folderName), or 'lessons init DIR' for a folder of your choice")
        }
        return forInit(in: directory)
    }

    /// What to say when a command needs a workspace and there is none.
    static func missing(in directory: String) -> String {
        if let tree = sourceTree(containing: directory) {
            return "not in a lessons workspace, and " + insideSourceTree(directory, tree) + "; run 'lessons init' to start one in ./\(folderName) (or 'lessons init DIR')"
        }
        return "not in a lessons workspace; run 'lessons next' to start one (or 'lessons init DIR')"
    }

    /// `/x is a source tree (it has Package.swift)`, or `/x/Sources is in the source tree /x (it has …)`.
    private static func insideSourceTree(_ directory: String, _ tree: (root: String, marker: String)) -> String {
        let here = (directory as NSString).standardizingPath
        return here == tree.root ? "\(here) is a source tree (it has \(tree.marker))"
                                 : "\(here) is in the source tree \(tree.root) (it has \(tree.marker))"
    }

    private static func isEmpty(_ directory: String) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [""]).isEmpty
    }
}
