import Testing
@testable import Sandbox
import Vocabulary

@Test func statusRawValuesAreTheContract() {
    #expect(Status.allCases.map(\.rawValue) == ["passed", "failed", "compile-error", "timeout", "memory-limit",
                                                "output-limit", "crashed", "missing", "internal-error"])
}

@Test func statusPrecedenceFollowsTheDesign() {
    let order: [Status] = [.passed, .failed, .crashed, .outputLimit, .memoryLimit, .timeout, .internalError]
    #expect(order == order.sorted())
    #expect([Status.crashed, .timeout, .failed].max() == .timeout)
}
