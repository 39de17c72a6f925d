/* report.c - being written. */
#include "lockorder.h"
