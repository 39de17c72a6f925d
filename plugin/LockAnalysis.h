//===- LockAnalysis.h - lockorder's path-sensitive lock analysis -*- C++ -*-===//
//
// The analysis half of the plugin, shaped like Clang's ThreadSafety analysis:
// one entry point (LockAnalysis::runOnFunction) and an abstract handler with
// one method per kind of result.  The analysis never formats a diagnostic;
// DiagReporter (LockOrderPlugin.cpp) words and emits them, and the summary
// writer (whole-program mode) records them.
//
// What it does not do: it never parses the rules (the C core does) and it
// never looks across translation units (`lockorder merge` does).
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
  std::vector<LockClass> Classes;
  llvm::StringMap<int> ByKey;
};

/// The class key of field FD: its nearest named enclosing record's name,
/// a dot, and the field name.  Anonymous structs and unions are folded
/// into the record that contains them, as C name lookup does.
std::string classKeyForField(const clang::FieldDecl *FD);

/// The name of record RD for keys: its tag, or the typedef that names an
/// anonymous one ("rwlock_t"), or "" if it has neither.
std::string recordName(const clang::RecordDecl *RD);

/// One hop of a call chain below the function being checked: in function
/// In, at Loc, a call to Callee (or, for the last hop, the acquisition
/// itself, Callee == nullptr).
struct Hop {
  const clang::FunctionDecl *In = nullptr;
  clang::SourceLocation Loc;
  const clang::FunctionDecl *Callee = nullptr;
};

/// A lock held at a program point, as reported.
struct HeldInfo {
  int Class = -1;
  std::string Name;
  clang::SourceLocation Loc; ///< where the checked function took it
  bool Asserted = false;
};

/// One rule broken at one place.
struct Finding {
  lo_violation V;
  std::string Message;           ///< the core's wording
  clang::SourceLocation Loc;     ///< the acquisition, or the call leading to it
  const clang::FunctionDecl *Function = nullptr; ///< the function checked
  std::vector<Hop> Chain;        ///< below Function, down to the acquisition
  bool HasHeld = false;
  HeldInfo Held;
  int AcqDecl = -1;  ///< declared index of the acquired lock, or -1
  int HeldDecl = -1; ///< declared index of the held lock, or -1
  /// LO_V_INVERSION: where the other order was taken.
  clang::SourceLocation OtherLoc;
  std::string OtherText;
};

/// The abstract handler: one method per kind of result.
class LockHandler {
public:
  virtual ~LockHandler();
  /// A rule (or a rule-less check) broken in a function of the main file.
  virtual void handleFinding(const Finding &F) = 0;
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
  /// finds to the handler.
  void runOnFunction(const clang::FunctionDecl *FD);

  /// After every function: reports inversions of locks no rule orders.
  void finish();

  /// Whole-program mode: record what every analysed function does into
  /// OUT (owned by the caller), for the translation unit SOURCE.
  void setSummary(lo_summary *Out, llvm::StringRef Source);

  /// Whole-program mode: function addresses in VD's static initialiser.
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
