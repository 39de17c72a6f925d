// RUN: %clang_lo%inputs/test.lockorder -fsyntax-only -I %inputs %s -Xclang -verify
//
// correlated-fields.c - the same condition tested at the lock and at the
// unlock, where the condition is not a local flag: a field read through a
// pointer (`reg->space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY`, compared with
// a constant), a pure call on the same arguments
// (`!hub_is_superspeed(hub->hdev)`, `!folio_test_swapcache(folio)`), or a
// comparison (`try && num_bios > 1`).  Neither the pointer nor the field is
// assigned between the tests, so both go the same way.  Across a call, a
// callee's way of returning holding a lock only when a field of its
// parameter is 0 (__io_cq_lock(): `if (!ctx->lockless_cq)`) teaches the
// caller that field's value.
//
// Each ok_ case is one of Linux 6.12's, once a false finding; the bad_
// case beside it tests something else at the unlock, or assigns the field
// in between, and is still reported.

#include "kernel.h"

typedef _Bool bool;
typedef unsigned char u8;

// ---- a field compared with a constant (drivers/acpi/cppc_acpi.c) -------

#define ACPI_ADR_SPACE_SYSTEM_MEMORY	0
#define ACPI_ADR_SPACE_SYSTEM_IO	1
#define ACPI_ADR_SPACE_PLATFORM_COMM	10
#define ACPI_ADR_SPACE_FIXED_HARDWARE	0x7f

struct cpc_reg { u8 space_id; u8 bit_width; unsigned long address; };
struct cpc_register_resource { struct { struct cpc_reg reg; } cpc_entry; };
struct cpc_desc { raw_spinlock_t rmw_lock; };
struct cppc_pcc_data { struct rw_semaphore pcc_lock; };

extern struct cpc_desc *cpc_desc_ptr;
extern struct cppc_pcc_data *pcc_data;
int acpi_os_write_port(unsigned long port, unsigned int val, int width);
int cpc_write_ffh(int cpu, struct cpc_reg *reg, unsigned long val);
void writel_relaxed(unsigned long val, void *addr);
void pr_debug(const char *fmt, ...);

static int cpc_write(int cpu, struct cpc_register_resource *reg_res,
		     unsigned long val)
{
	struct cpc_reg *reg = &reg_res->cpc_entry.reg;
	struct cpc_desc *cpc_desc;
	int size = reg->bit_width;
	int ret_val = 0;
	unsigned long flags;

	if (reg->space_id == ACPI_ADR_SPACE_SYSTEM_IO) {
		if (acpi_os_write_port(reg->address, val, size))
			return -EINVAL;
		return 0;
	} else if (reg->space_id == ACPI_ADR_SPACE_PLATFORM_COMM) {
		;
	} else if (reg->space_id == ACPI_ADR_SPACE_FIXED_HARDWARE)
		return cpc_write_ffh(cpu, reg, val);

	if (reg->space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY) {
		cpc_desc = cpc_desc_ptr;
		if (!cpc_desc)
			return -EINVAL;
		raw_spin_lock_irqsave(&cpc_desc->rmw_lock, flags);
		switch (size) {
		case 32:
			break;
		default:
			raw_spin_unlock_irqrestore(&cpc_desc->rmw_lock, flags);
			return -EINVAL;
		}
	}
	switch (size) {
	case 32:
		writel_relaxed(val, (void *)reg->address);
		break;
	default:
		if (reg->space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY)
			pr_debug("cannot write %u bits\n", size);
		ret_val = -EINVAL;
		break;
	}
	if (reg->space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY)
		raw_spin_unlock_irqrestore(&cpc_desc->rmw_lock, flags);
	return ret_val;
}

// cppc_set_epp_perf(): cpc_write() returns holding nothing.
void ok_cppc_set_epp_perf(struct cpc_register_resource *epp)
{
	cpc_write(0, epp, 1);
	down_write(&pcc_data->pcc_lock);	// no-warning
	up_write(&pcc_data->pcc_lock);
}

// The unlock tests another space: SYSTEM_IO returns early, so the lock
// taken for SYSTEM_MEMORY is kept.
static void cpc_write_wrong(struct cpc_reg *reg)
{
	struct cpc_desc *cpc_desc = cpc_desc_ptr;
	unsigned long flags;

	if (reg->space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY)
		raw_spin_lock_irqsave(&cpc_desc->rmw_lock, flags);
	pr_debug("write\n");
	if (reg->space_id == ACPI_ADR_SPACE_PLATFORM_COMM)
		raw_spin_unlock_irqrestore(&cpc_desc->rmw_lock, flags);
}

void bad_cppc_other_space(struct cpc_reg *reg)
{
	cpc_write_wrong(reg);			// expected-note{{'cpc_desc->rmw_lock' acquired here in 'bad_cppc_other_space'}}
	down_write(&pcc_data->pcc_lock);	// expected-warning{{sleeping lock 'pcc_data->pcc_lock' acquired while holding raw_spinlock 'cpc_desc->rmw_lock'}}
	up_write(&pcc_data->pcc_lock);
}

// The field is assigned between the tests: nothing is known of it.
static void cpc_write_assigned(struct cpc_reg *reg, u8 space)
{
	struct cpc_desc *cpc_desc = cpc_desc_ptr;
	unsigned long flags;

	if (reg->space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY)
		raw_spin_lock_irqsave(&cpc_desc->rmw_lock, flags);
	reg->space_id = space;
	if (reg->space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY)
		raw_spin_unlock_irqrestore(&cpc_desc->rmw_lock, flags);
}

void bad_cppc_assigned(struct cpc_reg *reg)
{
	cpc_write_assigned(reg, ACPI_ADR_SPACE_SYSTEM_IO);	// expected-note{{'cpc_desc->rmw_lock' acquired here in 'bad_cppc_assigned'}}
	down_write(&pcc_data->pcc_lock);	// expected-warning{{sleeping lock 'pcc_data->pcc_lock' acquired while holding raw_spinlock 'cpc_desc->rmw_lock'}}
	up_write(&pcc_data->pcc_lock);
}

// ---- a pure call on the same argument (drivers/usb/core/hub.c) ---------

#define USB_HUB_PR_SS	3
struct usb_device_descriptor { u8 bDeviceProtocol; };
struct usb_device { struct usb_device_descriptor descriptor; struct mutex mutex; };
struct usb_hub { struct usb_device *hdev; struct mutex status_mutex; };

extern struct rw_semaphore ehci_cf_port_reset_rwsem;
int set_port_feature(struct usb_device *hdev, int port1, int feature);

static inline int hub_is_superspeed(struct usb_device *hdev)
{
	return hdev->descriptor.bDeviceProtocol == USB_HUB_PR_SS;
}

static int hub_port_reset(struct usb_hub *hub, int port1, bool warm)
{
	int status;

	if (!hub_is_superspeed(hub->hdev)) {
		if (warm)
			return -EINVAL;
		down_read(&ehci_cf_port_reset_rwsem);
	}
	status = set_port_feature(hub->hdev, port1, warm);
	if (!hub_is_superspeed(hub->hdev))
		up_read(&ehci_cf_port_reset_rwsem);
	return status;
}

void ok_hub_port_init(struct usb_hub *hub)
{
	hub_port_reset(hub, 1, 0);
	down_read(&ehci_cf_port_reset_rwsem);	// no-warning
	up_read(&ehci_cf_port_reset_rwsem);
}

// A call that is not pure (it may do anything) is not assumed to return
// the same value twice.
int hub_is_superspeed_extern(struct usb_device *hdev);

static void hub_port_reset_extern(struct usb_hub *hub)
{
	if (!hub_is_superspeed_extern(hub->hdev))
		down_read(&ehci_cf_port_reset_rwsem);
	if (!hub_is_superspeed_extern(hub->hdev))
		up_read(&ehci_cf_port_reset_rwsem);
}

void bad_hub_extern(struct usb_hub *hub)
{
	hub_port_reset_extern(hub);		// expected-note{{'ehci_cf_port_reset_rwsem' acquired here in 'bad_hub_extern'}}
	down_write(&ehci_cf_port_reset_rwsem);	// expected-warning{{'ehci_cf_port_reset_rwsem' acquired while already holding 'ehci_cf_port_reset_rwsem'; possible recursive locking}}
	up_write(&ehci_cf_port_reset_rwsem);
}

// ---- a pure call through pure helpers (mm/vmscan.c) --------------------

#define PG_swapbacked	19
#define PG_swapcache	9
struct address_space { struct inode *host; spinlock_t i_pages; };
struct inode { spinlock_t i_lock; };
struct folio { unsigned long flags; struct address_space *mapping; };

static inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	bool oldbit;

	asm volatile("bt %2,%1" : "=@ccc" (oldbit) : "m" (*addr), "Ir" (nr) : "memory");
	return oldbit;
}
static inline const unsigned long *const_folio_flags(const struct folio *folio)
{
	return &folio->flags;
}
static inline bool folio_test_swapbacked(const struct folio *folio)
{
	return test_bit(PG_swapbacked, const_folio_flags(folio));
}
static inline bool folio_test_swapcache(const struct folio *folio)
{
	return folio_test_swapbacked(folio) &&
	       test_bit(PG_swapcache, const_folio_flags(folio));
}
int folio_ref_freeze(struct folio *folio, int count);

static int __remove_mapping(struct address_space *mapping, struct folio *folio)
{
	if (!folio_test_swapcache(folio))
		spin_lock(&mapping->host->i_lock);
	spin_lock(&mapping->i_pages);
	if (!folio_ref_freeze(folio, 2))
		goto cannot_free;
	spin_unlock(&mapping->i_pages);
	if (!folio_test_swapcache(folio))
		spin_unlock(&mapping->host->i_lock);
	return 1;
cannot_free:
	spin_unlock(&mapping->i_pages);
	if (!folio_test_swapcache(folio))
		spin_unlock(&mapping->host->i_lock);
	return 0;
}

void ok_shrink_folio_list(struct address_space *mapping, struct folio *a,
			  struct folio *b)
{
	__remove_mapping(mapping, a);
	__remove_mapping(mapping, b);		// no-warning
}

// A callee may change a field its caller tested: what it knows of the
// field at its return is then not a contradiction (fs/dcache.c:
// dentry_unlink_inode() clears d_inode, which __dentry_kill() tested).
struct dentry { spinlock_t d_lock; struct inode *d_inode; };

static inline void __d_clear_type_and_inode(struct dentry *dentry)
{
	dentry->d_inode = NULL;
}

static void dentry_unlink_inode(struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;

	__d_clear_type_and_inode(dentry);
	spin_unlock(&dentry->d_lock);
	spin_unlock(&inode->i_lock);
}

static void __dentry_kill(struct dentry *dentry)
{
	if (dentry->d_inode)
		dentry_unlink_inode(dentry);
	else
		spin_unlock(&dentry->d_lock);
}

void ok_dput(struct dentry *dentry, struct inode *inode)
{
	spin_lock(&dentry->d_lock);
	spin_lock(&inode->i_lock);
	__dentry_kill(dentry);
	spin_lock(&inode->i_lock);		// no-warning
	spin_unlock(&inode->i_lock);
}

// ---- a comparison, twice (drivers/md/dm.c) ------------------------------

struct mapped_device { struct mutex table_devices_lock; };
void *alloc_bio(struct mapped_device *md, int try);

static void alloc_multiple_bios(struct mapped_device *md, int num_bios)
{
	int try;

	for (try = 0; try < 2; try++) {
		int bio_nr;

		if (try && num_bios > 1)
			mutex_lock(&md->table_devices_lock);
		for (bio_nr = 0; bio_nr < num_bios; bio_nr++)
			if (!alloc_bio(md, try))
				break;
		if (try && num_bios > 1)
			mutex_unlock(&md->table_devices_lock);
		if (bio_nr == num_bios)
			return;
	}
}

void ok_alloc_multiple_bios(struct mapped_device *md)
{
	alloc_multiple_bios(md, 4);
	mutex_lock(&md->table_devices_lock);	// no-warning
	mutex_unlock(&md->table_devices_lock);
}

// ---- a callee's way of returning tells a field (io_uring/io_uring.c) ---

struct io_ring_ctx {
	bool lockless_cq;
	bool task_complete;
	spinlock_t completion_lock;
};

static inline void __io_cq_lock(struct io_ring_ctx *ctx)
{
	if (!ctx->lockless_cq)
		spin_lock(&ctx->completion_lock);
}

static inline void __io_cq_unlock(struct io_ring_ctx *ctx)
{
	if (!ctx->lockless_cq)
		spin_unlock(&ctx->completion_lock);
}

void io_fill_cqe(struct io_ring_ctx *ctx);

// __io_submit_flush_completions(): the inner lock is taken only when the
// outer one was not.
void ok_io_submit_flush_completions(struct io_ring_ctx *ctx)
{
	__io_cq_lock(ctx);
	io_fill_cqe(ctx);
	if (ctx->lockless_cq) {
		spin_lock(&ctx->completion_lock);	// no-warning
		spin_unlock(&ctx->completion_lock);
	}
	__io_cq_unlock(ctx);
}

void bad_io_other_field(struct io_ring_ctx *ctx)
{
	__io_cq_lock(ctx);				// expected-note{{'ctx->completion_lock' acquired here}}
	if (ctx->task_complete) {
		spin_lock(&ctx->completion_lock);	// expected-warning{{'ctx->completion_lock' acquired while already holding 'ctx->completion_lock'; possible recursive locking}}
							// expected-note@Inputs/kernel.h:72 {{'ctx->completion_lock' acquired here in 'spin_lock'}}
		spin_unlock(&ctx->completion_lock);
	}
	__io_cq_unlock(ctx);
}
