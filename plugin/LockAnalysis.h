//===- LockAnalysis.h - lockorder's path-sensitive lock analysis -*- C++ -*-===//
//
// The analysis half of the plugin, shaped like Clang's ThreadSafety analysis:
// one entry point (LockAnalysis::runOnFunction) and an abstract handler with
// one method per kind of observation.  The analysis never formats a
// diagnostic and never decides whether something breaks a rule: it says
// what each function does to locks, and the C core links that, follows the
// calls and checks it (lo_merge_run), for one translation unit at compile
// time exactly as for a whole tree.
//
// What it does not do: it never parses the rules, never applies a callee's
// acquisitions at a call and never builds a finding (the C core does all
// three).
//
//===----------------------------------------------------------------------===//

#ifndef LOCKORDER_PLUGIN_LOCKANALYSIS_H
#define LOCKORDER_PLUGIN_LOCKANALYSIS_H

#include "lockorder.h"

#include "clang/AST/Decl.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Expr;
class FieldDecl;
class RecordDecl;
class VarDecl;
} // namespace clang

namespace lockorder {

/// A lock class: the struct type that directly contains the lock field plus
/// the field ("kvm_xen.xen_lock"), or a global variable, or the function
/// that takes it ("cpus_read_lock").
struct LockClass {
  std::string Key;  ///< "kvm_xen.xen_lock", "kvm_lock"
  std::string Name; ///< as the rules spell it, else the code's spelling
  int Decl = -1;    ///< declared lock index in the rules, or -1
  lo_kind Kind = LO_KIND_NONE;
};

/// Every lock class seen in one translation unit, interned by key.
class ClassTable {
public:
  /// Returns the id of the class KEY, creating it with NAME and KIND.
  int intern(llvm::StringRef Key, llvm::StringRef Name, lo_kind Kind);
  const LockClass &get(int Id) const { return Classes[Id]; }
  int lookup(llvm::StringRef Key) const;
  /// Binds KEY to declared lock DECL (the rules' name and kind win).
  void declare(llvm::StringRef Key, const lo_rules *Rules, int Decl);
  size_t size() const { return Classes.size(); }

private:
  std::deque<LockClass> Classes; ///< stable: records point into it
  llvm::StringMap<int> ByKey;
};

/// The class key of field FD: its nearest named enclosing record's name,
/// a dot, and the field name.  Anonymous structs and unions are folded
/// into the record that contains them, as C name lookup does.
std::string classKeyForField(const clang::FieldDecl *FD);

/// The name of record RD for keys: its tag, or the typedef that names an
/// anonymous one ("rwlock_t"), or "" if it has neither.
std::string recordName(const clang::RecordDecl *RD);

/// The abstract handler, shaped like Clang ThreadSafety's: one method per
/// kind of observation, each carrying the core's structured record (lock
/// classes by key, locations as file:line:col), never text.  What the
/// records add up to -- the calls followed, the checks, the findings -- is
/// the C core's business (lo_merge_run()), in a compile as in a whole tree.
class LockHandler {
public:
  virtual ~LockHandler();
  /// A function analysed: one of the main file, or a header inline one of
  /// them reached.
  virtual void handleFunction(const lo_sfunc &F) = 0;
  /// An acquisition (or a wait) a function makes itself, through a
  /// function the rules describe, with what it holds there.
  virtual void handleAcquisition(const lo_sacq &A) = 0;
  /// A call, direct or through a function-pointer slot, with the locks
  /// held at it and what its arguments are.
  virtual void handleCall(const lo_scall &C) = 0;
  /// A function's address stored where an indirect call may find it.
  virtual void handleStore(const lo_sstore &S) = 0;
  /// static_call_update(): calls of a trampoline go through a slot.
  virtual void handleStaticCallAlias(const lo_salias &A) = 0;
  /// What a function returns holding and releases of its caller's.
  virtual void handleReturns(const lo_sret &R) = 0;
  /// A rules lock spelled through a struct this unit defines: resolved to
  /// a field, or why not.
  virtual void handleRulesName(const lo_sname &N) = 0;
  /// A lock class key given to a class's locks (lockdep_set_class()).
  virtual void handleKey(const lo_skey &K) = 0;
  /// Something the analysis could not follow and skipped.
  virtual void handleSkipped(clang::SourceLocation Loc,
                             llvm::StringRef What) = 0;
};

struct FunctionSummary;

/// The analysis of one translation unit.  Functions are analysed once;
/// their summaries are cached and used at every call.
class LockAnalysis {
public:
  LockAnalysis(clang::ASTContext &Ctx, const lo_rules *Rules,
               ClassTable &Classes, LockHandler &Handler);
  ~LockAnalysis();

  /// Analyses FD (a function defined in the main file) and reports what it
  /// observes to the handler.
  void runOnFunction(const clang::FunctionDecl *FD);

  /// The main file SOURCE, which qualifies the keys of what has internal
  /// linkage.
  void setSource(llvm::StringRef Source);

  /// Function addresses in VD's static initialiser.
  void recordInitializer(const clang::VarDecl *VD);

  /// The summary of FD, analysing it first if need be; nullptr when FD has
  /// no body or is being analysed further up the stack (recursion).
  const FunctionSummary *summaryFor(const clang::FunctionDecl *FD);

  struct Impl;

private:
  std::unique_ptr<Impl> P;
};

} // namespace lockorder

#endif
