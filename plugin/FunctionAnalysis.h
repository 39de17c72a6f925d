//===- FunctionAnalysis.h - the analysis of one function ----*- C++ -*-===//
//
// What the files of the analysis share: the translation unit's state
// (LockAnalysis::Impl: the cached callee views, the handler) and the
// analysis of one function (FunctionAnalysis), whose parts live in
// LockNames.cpp (which lock an expression names), Transfer.cpp (what a
// statement or a call does to the state), Observations.cpp (what is
// reported to the handler) and LockAnalysis.cpp (the walk in reverse
// post-order).
//
// This is not a public header: only the plugin's analysis files include it.
//
//===----------------------------------------------------------------------===//

#ifndef LOCKORDER_PLUGIN_FUNCTIONANALYSIS_H
#define LOCKORDER_PLUGIN_FUNCTIONANALYSIS_H

#include "LockState.h"

#include "clang/AST/ASTContext.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

#include <deque>
#include <map>
#include <memory>
#include <set>

namespace lockorder {

using namespace clang;

struct LockAnalysis::Impl {
  ASTContext &Ctx;
  SourceManager &SM;
  const lo_rules *Rules;
  ClassTable &Classes;
  LockHandler &Handler;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionSummary>>
      Summaries;
  /// Functions being analysed, and the depth each started at.
  llvm::DenseMap<const FunctionDecl *, unsigned> InProgress;
  unsigned Depth = 0;
  /// The shallowest depth of a function that a call, in the analysis
  /// under way at the current depth, found in progress: the functions
  /// from there down to the call are in a recursion.
  unsigned CycleFloor = ~0u;
  /// The main file, for the keys of what has internal linkage.
  std::string Source;
  std::set<std::string> Recorded;
  /// Lock object paths (LockObjects.cpp), each kept once.
  llvm::StringSet<> Objs;
  /// Classes that are one global lock variable, and its object's path.
  llvm::DenseMap<int, const char *> GlobalObjs;
  const char *internObj(const std::string &S) {
    return S.empty() ? nullptr : Objs.insert(S).first->getKeyData();
  }
  /// The file names of the records' places, each kept once.
  llvm::StringMap<char> FileNames;
  /// Acquisitions and calls told, by place, lock and path (firstTime()).
  std::set<std::vector<int64_t>> Sites;
  /// The terms paths know values of (Knowledge.h).
  TermTable Terms;

  Impl(ASTContext &C, const lo_rules *R, ClassTable &CT, LockHandler &H)
      : Ctx(C), SM(C.getSourceManager()), Rules(R), Classes(CT), Handler(H) {}

  FunctionSummary *summaryFor(const FunctionDecl *FD);
  void analyze(const FunctionDecl *FD, FunctionSummary &Sum, bool Report);
  void addStore(const std::string &Key, const FunctionDecl *Fn,
                SourceLocation Loc);
  void storesFromInit(const Expr *Init, QualType T, const std::string &VarKey,
                      unsigned Depth);
};

const FunctionDecl *functionAddressOf(const Expr *E);

struct Args {
  const CallExpr *Call = nullptr;
  const VarDecl *CleanupVar = nullptr;
  unsigned size() const { return Call ? Call->getNumArgs() : 1; }
};

class FunctionAnalysis;

/// What a record (lo_sacq, lo_scall) says of the path it was seen on: the
/// locks held there, the caller's locks released by then and what the
/// path assumes of the parameters.  The arrays live as long as this.
struct PathRecord {
  PathRecord(const FunctionAnalysis &FA, const struct State &St,
             std::deque<std::string> &P);
  template <class Record> void into(Record &R) const {
    R.held = Held.data();
    R.nheld = Held.size();
    R.released = Released.data();
    R.nreleased = Released.size();
    R.when = When.data();
    R.nwhen = When.size();
  }
  std::vector<lo_sheld> Held;
  std::vector<lo_sref> Released;
  std::vector<lo_scond> When;
};

/// The analysis of one function.
class FunctionAnalysis {
  friend struct PathRecord;

public:
  FunctionAnalysis(LockAnalysis::Impl &A, const FunctionDecl *FD,
                   FunctionSummary &Sum, bool Report)
      : A(A), FD(FD), Sum(Sum), Report(Report) {}

  void run();

private:
  LockAnalysis::Impl &A;
  const FunctionDecl *FD;
  FunctionSummary &Sum;
  bool Report;

  /// Local pointers assigned exactly once, and the expression assigned.
  /// Local variables assigned once, and the expression assigned; those
  /// assigned more than once.  Collected on first use: most functions
  /// never name a lock through a local or a parameter.
  mutable llvm::DenseMap<const VarDecl *, const Expr *> AliasMap;
  mutable llvm::DenseSet<const VarDecl *> ReassignedSet;
  mutable bool AliasesDone = false;
  const llvm::DenseMap<const VarDecl *, const Expr *> &aliases() const {
    ensureAliases();
    return AliasMap;
  }
  bool reassigned(const VarDecl *V) const {
    ensureAliases();
    return ReassignedSet.count(V) != 0;
  }
  void ensureAliases() const {
    if (!AliasesDone && Graph) {
      AliasesDone = true;
      const_cast<FunctionAnalysis *>(this)->collectAliases(*Graph);
    }
  }
  /// The CFG being walked.
  const CFG *Graph = nullptr;
  /// Locks a cleanup variable's initialiser returned holding.
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<LockRef, 1>> GuardLocks;
  std::set<std::pair<unsigned, std::string>> Skipped;
  unsigned AliasDepth = 0;
  /// The path being followed, for what local pointers point to.
  const State *Cur = nullptr;

  void collectAliases(const CFG &G);
  void noteAssignment(const Stmt *S);

  // Naming locks.
  LockRef resolvePtr(const Expr *E);
  LockRef resolveObj(const Expr *E);
  LockRef resolvePointee(const Expr *E);
  LockRef argPtr(const Args &As, unsigned I);
  LockRef argPointee(const Args &As, unsigned I);
  LockRef subst(const LockRef &R, const Args &As);
  int paramIndex(const ParmVarDecl *P) const;
  std::string spelling(const Expr *E);
  bool isLockType(QualType T) const;
  bool insideLockType(QualType T) const;
  lo_kind kindOfType(QualType T) const;
  void describe(const LockRef &L, int &Cls, int &Decl, lo_kind &Kind,
                std::string &Name) const;
  // Which object (LockObjects.cpp).
  std::string objPtr(const Expr *E, unsigned Depth = 0);
  std::string objLv(const Expr *E, unsigned Depth = 0);
  std::string globalPath(const VarDecl *VD) const;
  void forgetLoadedObjects(State &St) const;
  const char *objOfArg(const Args &As, unsigned I);
  const char *objOfDecl(int Decl);
  const char *objThrough(const char *Obj, const Args &As);

  // Transfer functions.
  void transferBlock(const CFGBlock *B, std::vector<State> &States);
  void transferStmt(const Stmt *S, State &St, std::vector<State> &Out);
  void transferCall(const FunctionDecl *Callee, const Args &As,
                    SourceLocation Loc, const Expr *CallE, State St,
                    std::vector<State> &Out);
  void applyRulesFunction(const lo_function *F, const Args &As,
                          SourceLocation Loc, const Expr *CallE, State St,
                          std::vector<State> &Out);
  void applySummary(const FunctionDecl *Callee, const FunctionSummary &CS,
                    const Args &As, SourceLocation Loc, const Expr *CallE,
                    State St, std::vector<State> &Out);
  void condsOf(const State &St, llvm::SmallVectorImpl<Cond> &Out) const;
  void release(State &St, const LockRef &L);
  void lockedThrough(const Expr *LockArg, State &St) const;
  void recordKey(const LockRef &L, const Expr *Key);
  void nonNull(const Expr *P, State &St) const;
  Val eval(const Expr *E, const State &St) const;
  void refine(const Expr *Cond, bool Branch, State &St) const;
  const Expr *terminatorCondition(const CFGBlock *B) const;
  void skipped(SourceLocation Loc, const std::string &What);
  bool assertsHere(SourceLocation Loc) const;

  // What paths know of terms (Knowledge.cpp).
  const Term *termOf(const Expr *E, unsigned Depth = 0) const;
  const Term *compareTerm(const BinaryOperator *BO, bool &Negated) const;
  ValKey keyOf(const Expr *E) const;
  bool pure(const FunctionDecl *F) const;
  Val evalKnown(const Expr *E, const State &St) const;
  bool refineKnown(const Expr *E, bool Branch, State &St) const;
  void assignTerm(const BinaryOperator *BO, State &St) const;
  void forgetWrites(const Expr *LHS, State &St) const;
  void wayFacts(const std::vector<State> &Exits);
  void applyWayFacts(const FunctionSummary &CS, size_t W, const Args &As,
                     const Expr *CallE, State &&S,
                     std::vector<State> &Out) const;
  void bitConds(const State &St,
                llvm::function_ref<void(const Cond &)> Add) const;

  // Whole-program mode: what this function tells `lockorder merge`.
  using Pool = std::deque<std::string>;
  lo_loc sloc(SourceLocation L, Pool &P) const;
  lo_sref sref(const LockRef &L, Pool &P) const;
  std::vector<lo_sheld> sheld(const State &St, Pool &P) const;
  bool firstTime(int Kind, SourceLocation Loc, const LockRef &Lock,
                 const State &St, const char *Obj = nullptr) const;
  std::vector<lo_scond> scond(const State &St) const;
  std::vector<lo_sref> released(const State &St, Pool &P) const;
  void recordAcq(const State &St, const LockRef &L, bool Shared,
                 int Subclass, lo_effect_op Op, bool Trylock,
                 SourceLocation Loc, const char *Obj);
  void recordCall(const State &St, const FunctionDecl *Callee,
                  const std::string &Target, const CallExpr *CE);
  void recordStore(const std::string &Key, const FunctionDecl *Fn,
                   SourceLocation Loc);
  void recordStaticCallUpdate(const CallExpr *CE);
  std::string slotKey(const Expr *Callee) const;
  const FunctionDecl *functionAddress(const Expr *E) const;
  std::string staticName(const FunctionDecl *F) const;
  bool mayPointToLock(QualType T) const;
  static bool looksConstant(const Expr *E);
  void recordRet();
  SourceLocation fileLoc(SourceLocation L) const {
    return L.isValid() ? A.SM.getExpansionLoc(L) : L;
  }
};

} // namespace lockorder

#endif
