// C shims for what Swift cannot do (owned by the tracer work): see shims.c.
#ifndef CLESSONSSHIMS_H
#define CLESSONSSHIMS_H

#include "lessons_sandbox.h"

#endif
