/*
 * fuzz_summary.c - libFuzzer target for the summary reader and the merge.
 *
 * Feeds arbitrary bytes to lo_summary_read_string(); when they make a
 * summary, merges it (twice over, as two translation units would be)
 * under a small fixed rules file and writes every report format to
 * /dev/null.  It does NOT check the answers; ASan and UBSan judge.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockorder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rules_text[] =
	"type kvm = struct kvm\n"
	"type vcpu = struct kvm_vcpu\n"
	"mutex kvm->lock, vcpu->mutex, kvm->slots_lock\n"
	"srcu kvm->srcu\n"
	"spinlock kvm->arch.xen.xen_lock\n"
	"kvm->lock outside vcpu->mutex\n"
	"kvm->lock, vcpu->mutex, kvm->slots_lock outside kvm->srcu\n"
	"leaf kvm->arch.xen.xen_lock\n"
	"never kvm->slots_lock in kvm_mmu_notifier_*\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static lo_rules *rules;
	struct lo_errors errs = { 0 };
	lo_summary *a, *b;
	lo_merge *m;
	FILE *null;

	if (!rules) {
		rules = lo_rules_parse_string(rules_text, strlen(rules_text),
					      "fuzz.lockorder", 0, &errs);
		lo_errors_free(&errs);
		if (!rules)
			abort();
	}
	a = lo_summary_read_string((const char *)data, size, "fuzz.json", &errs);
	b = lo_summary_read_string((const char *)data, size, "fuzz.json", &errs);
	null = fopen("/dev/null", "w");
	if (null)
		lo_errors_print(&errs, null);
	lo_errors_free(&errs);
	m = lo_merge_new(rules);
	if (m) {
		lo_merge_add(m, a);
		lo_merge_add(m, b);
		lo_merge_run(m, LO_MERGE_ALL);
		if (null) {
			lo_report_write(m, LO_FORMAT_TEXT, null);
			lo_report_write(m, LO_FORMAT_JSON, null);
			lo_report_write(m, LO_FORMAT_SARIF, null);
		}
		lo_merge_free(m);
	} else {
		lo_summary_free(a);
		lo_summary_free(b);
	}
	if (null)
		fclose(null);
	return 0;
}
