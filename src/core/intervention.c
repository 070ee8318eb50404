/* intervention.c: to be written. */
#include "intervention.h"
