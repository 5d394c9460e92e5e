// ptrace, wait-status and spawn shims. PLACEHOLDER until the tracer work lands.
#define _GNU_SOURCE
#include "CLessonsShims.h"
