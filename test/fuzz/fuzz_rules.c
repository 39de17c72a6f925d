/*
 * fuzz_rules.c - libFuzzer target for the rules parser.
 *
 * Feeds arbitrary bytes to lo_rules_parse_string() with includes off (a
 * fuzzer must not open files), then exercises what a caller does with the
 * result: print it, ask every pair for a path, check an acquisition.
 * It does NOT check the answers; ASan and UBSan judge.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lockorder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lo_errors errs = { 0 };
	lo_rules *r;
	FILE *null;

	r = lo_rules_parse_string((const char *)data, size, "fuzz.lockorder", 0,
				  &errs);
	null = fopen("/dev/null", "w");
	if (null) {
		lo_errors_print(&errs, null);
		if (r)
			lo_rules_print(r, null);
		fclose(null);
	}
	if (r) {
		size_t n = lo_rules_lock_count(r), a, b;

		for (a = 0; a < n && a < 16; a++) {
			for (b = 0; b < n && b < 16; b++) {
				int path[8];
				size_t np;
				struct lo_held h = { (int)a, (int)a,
						     lo_rules_lock(r, a)->kind, 0, 0 };
				struct lo_acq q = { (int)b, (int)b,
						    lo_rules_lock(r, b)->kind, 0, 0,
						    LO_ACQUIRE, 0, "kvm_mmu_notifier_x" };
				struct lo_violation v[8];
				size_t nv, i;

				lo_rules_outside(r, (int)a, (int)b, path, 8, &np);
				nv = lo_check_acquire(r, &h, 1, &q, v, 8);
				for (i = 0; i < nv && i < 8; i++)
					free(lo_violation_message(r, &v[i], &q, "a",
								  &h, "b"));
			}
		}
		lo_rules_find_function(r, "mutex_lock");
	}
	lo_rules_free(r);
	lo_errors_free(&errs);
	return 0;
}
