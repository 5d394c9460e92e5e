// Is the compiler for a language here? Asked once before a class is graded, so that a missing
// `swiftc` stops the run with one clear line instead of turning every Swift submission into
// an internal error.

import Foundation
import Vocabulary

public enum ToolchainCheck {
    /// Nil when `language`'s compiler (`$CC` or `cc`, `swiftc`) is found on PATH and answers
    /// `--version`; else the reason, naming what to install.
    public static func problem(_ language: Language, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        do {
            _ = try CompilerIdentity.lookUp(language, environment: environment)
            return nil
        } catch {
            return "\(error)"
        }
    }
}
