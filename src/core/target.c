/* target.c: to be written. */
#include "target.h"
