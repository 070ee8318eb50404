/* cycle.c: to be written. */
#include "cycle.h"
