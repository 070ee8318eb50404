/* pupil.c: to be written. */
#include "pupil.h"
