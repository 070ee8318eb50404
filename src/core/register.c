/* register.c: to be written. */
#include "register.h"
