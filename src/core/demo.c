/* demo.c: to be written. */
#include "demo.h"
