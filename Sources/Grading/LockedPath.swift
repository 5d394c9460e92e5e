// A path shared between threads and an exit handler (which may capture nothing).

import Foundation

final class LockedPath: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    func set(_ path: String) { lock.lock(); value = path; lock.unlock() }
    func get() -> String? { lock.lock(); defer { lock.unlock() }; return value }
}
