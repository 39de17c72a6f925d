/* summary.c - being written. */
#include "lockorder.h"
