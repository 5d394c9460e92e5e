import Testing
@testable import Grading

// Replaced by the module's real tests as its work lands.
@Test func GradingModuleLinks() {
    #expect(Bool(true))
}
