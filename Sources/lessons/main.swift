// The thin executable: everything lives in LessonsCLI.
import LessonsCLI

LessonsMain.run()
