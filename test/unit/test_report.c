/*
 * test_report.c - unit tests of what a report says about a merge's
 * findings: keys that survive unrelated line changes, and the JSON and
 * SARIF formats carrying what the text does.
 *
 * What it does NOT test: the text report line by line (test_merge.c
 * compares it exactly), the HTML report or the command line's output
 * (test/tools).
 */
#define _GNU_SOURCE /* open_memstream */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lockorder.h"
#include "helpers_summary.h"

/* Keys survive line changes; JSON and SARIF carry what the text does: the
 * finding at g's acquisition in b.c, its notes from f's held lock down. */
static void test_keys_and_formats(void **state)
{
	char *keys[2], *json, *sarif;
	int line;

	(void)state;
	for (line = 0; line < 2; line++) {
		lo_summary *s[2];
		struct lo_sheld h;
		lo_rules *r = rules();
		lo_merge *m = lo_merge_new(r);

		s[0] = lo_summary_new("a.c", "/src", NULL);
		s[1] = lo_summary_new("b.c", "/src", NULL);
		h = held(s[0], VCPU_MUTEX, 3 + line);
		call(s[0], "f", 0, "g", NULL, 4 + line, &h, NULL);
		acq(s[1], "g", 0, KVM_LOCK, 10 + 5 * line, NULL);
		lo_merge_add(m, s[0]);
		lo_merge_add(m, s[1]);
		assert_int_equal(lo_merge_run(m, 0), 1);
		keys[line] = strdup(lo_merge_finding(m, 0)->key);
		if (line == 0) {
			json = report(m, LO_FORMAT_JSON);
			sarif = report(m, LO_FORMAT_SARIF);
		}
		lo_merge_free(m);
		lo_rules_free(r);
	}
	assert_string_equal(keys[0], keys[1]);
	assert_non_null(strstr(json, "\"kind\": \"order\""));
	assert_non_null(strstr(json, "\"cross_file\": true"));
	assert_non_null(strstr(json, "\"file\": \"b.c\""));
	assert_non_null(strstr(json, "\"function\": \"g\""));
	assert_non_null(strstr(json, "\"line\": 10,"));
	assert_non_null(strstr(json, "\"message\": \"'vcpu->mutex' acquired here in 'f'\""));
	assert_non_null(strstr(json, "\"message\": \"'f' calls 'g' here\""));
	assert_non_null(strstr(sarif, "\"version\": \"2.1.0\""));
	assert_non_null(strstr(sarif, "\"ruleId\": \"lockorder/order\""));
	assert_non_null(strstr(sarif, "\"lockorderKey/v1\""));
	assert_non_null(strstr(sarif, "\"uri\": \"file:///src/\""));
	assert_non_null(strstr(sarif, "\"threadFlows\""));
	assert_string_equal(lo_violation_kind_name(LO_V_SRCU_READER), "srcu-reader");
	free(keys[0]);
	free(keys[1]);
	free(json);
	free(sarif);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_and_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
