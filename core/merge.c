/* merge.c - being written. */
#include "lockorder.h"
