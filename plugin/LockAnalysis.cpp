//===- LockAnalysis.cpp - lockorder's path-sensitive lock analysis --------===//
//
// Walks each function's CFG once, in reverse post-order, with a small set of
// states per block.  A state is a lockset (a handful of facts, each
// remembering where it was acquired) plus what is known about a few local
// variables and call results (zero, nonzero, negative), so that a trylock,
// `if (mutex_lock_interruptible(..)) return`, and `if (flag) lock ... if
// (flag) unlock` follow the paths that can really happen.  States that hold
// the same locks are joined (their knowledge intersected); more than
// MaxStates distinct locksets are coarsened by intersection.
//
// Calls are followed through summaries: what a callee acquires (with the
// call chain), and, per way of returning, what it returns holding and what it
// releases of its caller's locks, all parametrised by its parameters.
// Summaries are computed lazily, once per function, and cached; functions
// the rules describe are never followed (the rule's effect is used).
//
// Trade-offs: we prefer missing a report over a false one.  Locks whose
// identity cannot be told are skipped (with a remark in verbose mode), a
// lockset that would grow past the bound is intersected, and an unlock of a
// lock not held is not a finding.  Classes, not instances, are tracked, as
// lockdep does.
//
//===----------------------------------------------------------------------===//

#include "LockAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Analysis/Analyses/PostOrderCFGView.h"
#include "clang/Analysis/AnalysisDeclContext.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <tuple>

using namespace clang;

namespace lockorder {

namespace {

/// What is known about an integer value on a path.
enum class Val : uint8_t { Unknown, Zero, NonZero, Negative };

Val negate(Val V) {
  switch (V) {
  case Val::Zero:
    return Val::NonZero;
  case Val::NonZero:
  case Val::Negative:
    return Val::Zero;
  default:
    return Val::Unknown;
  }
}

/// Truth of V: 1, 0, or -1 for unknown.
int truth(Val V) {
  if (V == Val::Zero)
    return 0;
  if (V == Val::NonZero || V == Val::Negative)
    return 1;
  return -1;
}

/// A lock as a function sees it: a class, or the lock a parameter points
/// to (Deref: the lock that *parameter points to).
struct LockRef {
  int Class = -1;
  int Param = -1;
  bool Deref = false;
  bool valid() const { return Class >= 0 || Param >= 0; }
  bool operator==(const LockRef &O) const {
    return Class == O.Class && Param == O.Param && Deref == O.Deref;
  }
  bool operator<(const LockRef &O) const {
    return std::tie(Class, Param, Deref) < std::tie(O.Class, O.Param, O.Deref);
  }
};

/// A lock held: the lockset's element.
struct Fact {
  LockRef Lock;
  bool Shared = false;
  int Subclass = 0;
  bool Asserted = false;
  SourceLocation Loc;
  bool sameLock(const Fact &O) const {
    return Lock == O.Lock && Shared == O.Shared && Subclass == O.Subclass &&
           Asserted == O.Asserted;
  }
};

/// What a value is known by: a VarDecl or CallExpr, or a local struct's
/// VarDecl and one of its FieldDecls (`r.found_memslot`).
struct ValKey {
  const void *first = nullptr;
  const void *second = nullptr;
  const Decl *D = nullptr; ///< first, when it is a declaration
  ValKey() = default;
  ValKey(const Decl *A, const Decl *B = nullptr)
      : first(A), second(B), D(A) {}
  ValKey(const Expr *Call) : first(Call) {}
  bool operator==(const ValKey &O) const {
    return first == O.first && second == O.second;
  }
  bool operator!=(const ValKey &O) const { return !(*this == O); }
};

/// The key of E if it is something whose value is tracked.
ValKey valKey(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *DR = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DR->getDecl());
    if (VD && VD->hasLocalStorage())
      return ValKey(VD);
    return ValKey();
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (ME->isArrow())
      return ValKey();
    const auto *DR = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts());
    const auto *VD = DR ? dyn_cast<VarDecl>(DR->getDecl()) : nullptr;
    if (VD && VD->hasLocalStorage())
      return ValKey(VD, ME->getMemberDecl());
    return ValKey();
  }
  if (isa<CallExpr>(E))
    return ValKey(E);
  return ValKey();
}

struct State {
  llvm::SmallVector<Fact, 4> Held;
  /// Knowledge about local variables, fields of local structs (the
  /// VarDecl and the FieldDecl) and call results (the CallExpr).
  llvm::SmallVector<std::pair<ValKey, Val>, 4> Known;
  /// Locks released that this function did not take (its caller's).
  llvm::SmallVector<LockRef, 2> Released;
  Val Ret = Val::Unknown;
  /// Local pointers and the lock they point to on this path.
  llvm::SmallVector<std::pair<const VarDecl *, LockRef>, 2> Ptrs;
  /// Exact values known on this path (a switch case taken).
  llvm::SmallVector<std::pair<ValKey, int64_t>, 2> Exact;

  const int64_t *exact(ValKey K) const {
    for (auto &P : Exact)
      if (P.first == K)
        return &P.second;
    return nullptr;
  }
  void setExact(ValKey K, int64_t N) {
    for (auto &P : Exact)
      if (P.first == K) {
        P.second = N;
        return;
      }
    Exact.push_back({K, N});
  }

  const LockRef *ptr(const VarDecl *V) const {
    for (auto &P : Ptrs)
      if (P.first == V)
        return &P.second;
    return nullptr;
  }
  void setPtr(const VarDecl *V, const LockRef &L) {
    Ptrs.erase(std::remove_if(Ptrs.begin(), Ptrs.end(),
                              [&](auto &P) { return P.first == V; }),
               Ptrs.end());
    Ptrs.push_back({V, L});
  }

  Val known(ValKey K) const {
    for (auto &P : Known)
      if (P.first == K)
        return P.second;
    return Val::Unknown;
  }
  void setKnown(ValKey K, Val V) {
    for (auto &P : Known)
      if (P.first == K) {
        P.second = V;
        return;
      }
    if (V != Val::Unknown)
      Known.push_back({K, V});
  }
  void forget(ValKey K) {
    Known.erase(std::remove_if(Known.begin(), Known.end(),
                               [&](auto &P) { return P.first == K; }),
                Known.end());
    Exact.erase(std::remove_if(Exact.begin(), Exact.end(),
                               [&](auto &P) { return P.first == K; }),
                Exact.end());
  }
  /// Forgets a variable and every field of it.
  void forgetVar(const void *V) {
    Known.erase(std::remove_if(Known.begin(), Known.end(),
                               [&](auto &P) { return P.first.first == V; }),
                Known.end());
    Exact.erase(std::remove_if(Exact.begin(), Exact.end(),
                               [&](auto &P) { return P.first.first == V; }),
                Exact.end());
  }
  int find(const LockRef &L) const {
    for (size_t I = 0; I < Held.size(); ++I)
      if (Held[I].Lock == L)
        return static_cast<int>(I);
    return -1;
  }
  /// Same locks held and released (where they were taken aside).
  bool sameLocks(const State &O) const {
    if (Held.size() != O.Held.size() || Released.size() != O.Released.size())
      return false;
    for (auto &F : Held) {
      bool Found = false;
      for (auto &G : O.Held)
        if (F.sameLock(G))
          Found = true;
      if (!Found)
        return false;
    }
    for (auto &R : Released)
      if (std::find(O.Released.begin(), O.Released.end(), R) ==
          O.Released.end())
        return false;
    return true;
  }
  /// Joins O into this state, which holds the same locks: knowledge that
  /// differs is dropped.  Returns true if this state changed.
  bool joinKnowledge(const State &O) {
    bool Changed = false;
    for (size_t I = 0; I < Known.size();) {
      if (O.known(Known[I].first) != Known[I].second) {
        Known.erase(Known.begin() + I);
        Changed = true;
      } else {
        ++I;
      }
    }
    for (size_t I = 0; I < Exact.size();) {
      const int64_t *OE = O.exact(Exact[I].first);
      if (!OE || *OE != Exact[I].second) {
        Exact.erase(Exact.begin() + I);
        Changed = true;
      } else {
        ++I;
      }
    }
    for (size_t I = 0; I < Ptrs.size();) {
      const LockRef *OP = O.ptr(Ptrs[I].first);
      if (!OP || !(*OP == Ptrs[I].second)) {
        Ptrs.erase(Ptrs.begin() + I);
        Changed = true;
      } else {
        ++I;
      }
    }
    if (Ret != O.Ret && Ret != Val::Unknown) {
      Ret = Val::Unknown;
      Changed = true;
    }
    return Changed;
  }
};

/// The join of states that hold different locks, used past the bound: keep
/// only what both hold.  We prefer missing a report over a false one.
void intersectInto(State &A, const State &B) {
  llvm::SmallVector<Fact, 4> Keep;
  for (auto &F : A.Held)
    for (auto &G : B.Held)
      if (F.sameLock(G)) {
        Keep.push_back(F);
        break;
      }
  A.Held = Keep;
  llvm::SmallVector<LockRef, 2> Rel;
  for (auto &R : A.Released)
    if (std::find(B.Released.begin(), B.Released.end(), R) != B.Released.end())
      Rel.push_back(R);
  A.Released = Rel;
  A.joinKnowledge(B);
}

constexpr size_t MaxStates = 8;
constexpr size_t MaxOutcomes = 4;
constexpr unsigned MaxDepth = 48;

/// Adds S to the set of states SS.  Returns true if SS changed.
bool addState(std::vector<State> &SS, const State &S) {
  for (auto &T : SS)
    if (T.sameLocks(S))
      return T.joinKnowledge(S);
  if (SS.size() < MaxStates) {
    SS.push_back(S);
    return true;
  }
  State Old = SS.back();
  intersectInto(SS.back(), S);
  return !(SS.back().sameLocks(Old));
}

/// What a path assumed of a parameter: zero, nonzero, negative, or (Exact)
/// one value, as `if (!level) return` or `case VCPU_EXREG_PDPTR:` teach.
struct Cond {
  int Param = -1;
  Val Is = Val::Unknown;
  bool IsExact = false;
  int64_t N = 0;
  bool operator==(const Cond &O) const {
    return Param == O.Param && Is == O.Is && IsExact == O.IsExact && N == O.N;
  }
};

/// One way of returning.
struct Outcome {
  Val Ret = Val::Unknown;
  llvm::SmallVector<Fact, 2> Holds;
  llvm::SmallVector<LockRef, 2> Releases;
};

} // namespace

struct FunctionSummary {
  std::vector<Outcome> Outcomes;
  /// The lock the function returns a pointer to, if every return agrees.
  LockRef Returns;
  bool ReturnsConflict = false;
  /// Releases whose lock could not be told (guard destructors).
  unsigned UnresolvedReleases = 0;
};

struct LockAnalysis::Impl {
  ASTContext &Ctx;
  SourceManager &SM;
  const lo_rules *Rules;
  ClassTable &Classes;
  LockHandler &Handler;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionSummary>>
      Summaries;
  llvm::DenseSet<const FunctionDecl *> InProgress;
  unsigned Depth = 0;
  /// The main file, for the keys of what has internal linkage.
  std::string Source;
  std::set<std::string> Recorded;

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

namespace {

/// Where the arguments of a call come from: a CallExpr, or the variable a
/// cleanup function is called on (its only argument is &Var).
struct Args {
  const CallExpr *Call = nullptr;
  const VarDecl *CleanupVar = nullptr;
  unsigned size() const { return Call ? Call->getNumArgs() : 1; }
};

/// The analysis of one function.
class FunctionAnalysis {
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
  llvm::DenseMap<const VarDecl *, const Expr *> Alias;
  llvm::DenseSet<const VarDecl *> Reassigned;
  /// Locks a cleanup variable's initialiser returned holding.
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<LockRef, 1>> GuardLocks;
  std::set<std::pair<unsigned, std::string>> Skipped;
  unsigned AliasDepth = 0;
  /// The path being followed, for what local pointers point to.
  const State *Cur = nullptr;

  void collectAliases(const Stmt *S);

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
  Val eval(const Expr *E, const State &St) const;
  void refine(const Expr *Cond, bool Branch, State &St) const;
  const Expr *terminatorCondition(const CFGBlock *B) const;
  void skipped(SourceLocation Loc, const std::string &What);
  bool assertsHere(SourceLocation Loc) const;

  // Whole-program mode: what this function tells `lockorder merge`.
  using Pool = std::deque<std::string>;
  lo_loc sloc(SourceLocation L, Pool &P) const;
  lo_sref sref(const LockRef &L, Pool &P) const;
  std::vector<lo_sheld> sheld(const State &St, Pool &P) const;
  std::string heldSignature(const State &St) const;
  std::vector<lo_scond> scond(const State &St) const;
  std::vector<lo_sref> released(const State &St, Pool &P) const;
  void recordAcq(const State &St, const LockRef &L, bool Shared,
                 int Subclass, lo_effect_op Op, bool Trylock,
                 SourceLocation Loc);
  void recordCall(const State &St, const FunctionDecl *Callee,
                  const std::string &Target, const CallExpr *CE);
  void recordStore(const std::string &Key, const FunctionDecl *Fn,
                   SourceLocation Loc);
  void recordStaticCallUpdate(const CallExpr *CE);
  std::string slotKey(const Expr *Callee) const;
  const FunctionDecl *functionAddress(const Expr *E) const;
  std::string staticName(const FunctionDecl *F) const;
  void recordRet();
  SourceLocation fileLoc(SourceLocation L) const {
    return L.isValid() ? A.SM.getExpansionLoc(L) : L;
  }
};

int FunctionAnalysis::paramIndex(const ParmVarDecl *P) const {
  for (unsigned I = 0; I < FD->getNumParams(); ++I)
    if (FD->getParamDecl(I) == P)
      return static_cast<int>(I);
  return -1;
}

void FunctionAnalysis::collectAliases(const Stmt *S) {
  if (!S)
    return;
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (VD->hasLocalStorage() && VD->getInit())
          Alias[VD] = VD->getInit();
  } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->isAssignmentOp())
      if (const auto *DR =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl())) {
          if (!BO->isCompoundAssignmentOp() && !Alias.count(VD) &&
              !isa<ParmVarDecl>(VD))
            Alias[VD] = BO->getRHS();
          else
            Reassigned.insert(VD);
        }
  } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    if (UO->isIncrementDecrementOp())
      if (const auto *DR =
              dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts()))
        if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl()))
          Reassigned.insert(VD);
  }
  for (const Stmt *C : S->children())
    collectAliases(C);
}

bool FunctionAnalysis::isLockType(QualType T) const {
  return kindOfType(T) != LO_KIND_NONE;
}

lo_kind FunctionAnalysis::kindOfType(QualType T) const {
  // Walk the typedef sugar: spinlock_t, rwlock_t, then the record's tag.
  while (true) {
    if (const auto *TT = T->getAs<TypedefType>()) {
      std::string N = TT->getDecl()->getName().str();
      lo_kind K = lo_kind_from_type(N.c_str());
      if (K != LO_KIND_NONE)
        return K;
      T = TT->getDecl()->getUnderlyingType();
      continue;
    }
    break;
  }
  if (const RecordDecl *RD = T->getAsRecordDecl()) {
    std::string N = recordName(RD);
    return lo_kind_from_type(N.c_str());
  }
  return LO_KIND_NONE;
}

bool FunctionAnalysis::insideLockType(QualType T) const {
  if (isLockType(T))
    return true;
  const RecordDecl *RD = T->getAsRecordDecl();
  // An anonymous union inside spinlock_t holds its rlock.
  while (RD && recordName(RD).empty()) {
    const auto *Parent = dyn_cast<RecordDecl>(RD->getDeclContext());
    if (!Parent)
      return false;
    if (lo_kind_from_type(recordName(Parent).c_str()) != LO_KIND_NONE)
      return true;
    RD = Parent;
  }
  return false;
}

std::string FunctionAnalysis::spelling(const Expr *E) {
  const SourceManager &SM = A.SM;
  SourceRange R = E->getSourceRange();
  SourceLocation B = SM.getSpellingLoc(R.getBegin());
  SourceLocation En = SM.getSpellingLoc(R.getEnd());
  std::string S;
  if (B.isValid() && En.isValid() && SM.getFileID(B) == SM.getFileID(En)) {
    S = Lexer::getSourceText(CharSourceRange::getTokenRange(B, En), SM,
                             A.Ctx.getLangOpts())
            .str();
  }
  if (S.empty() || S.size() > 80)
    return "";
  std::string Out;
  for (char C : S)
    if (C != ' ' && C != '\t' && C != '\n')
      Out += C;
  while (!Out.empty() && (Out[0] == '&' || Out[0] == '('))
    Out.erase(0, 1);
  while (!Out.empty() && Out.back() == ')' &&
         std::count(Out.begin(), Out.end(), '(') <
             std::count(Out.begin(), Out.end(), ')'))
    Out.pop_back();
  return Out;
}

LockRef FunctionAnalysis::resolveObj(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const Expr *Base = ME->getBase();
    QualType BT = Base->getType();
    if (ME->isArrow() && BT->isPointerType())
      BT = BT->getPointeeType();
    // &l->rlock, &l->dep_map, &l->raw_lock: the lock is l itself.
    if (insideLockType(BT))
      return ME->isArrow() ? resolvePtr(Base) : resolveObj(Base);
    const auto *FDl = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FDl)
      return {};
    std::string Key = classKeyForField(FDl);
    std::string Name = spelling(ME);
    if (Name.empty())
      Name = Key;
    LockRef R;
    R.Class = A.Classes.intern(Key, Name, kindOfType(FDl->getType()));
    return R;
  }
  if (const auto *DR = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DR->getDecl());
    if (!VD)
      return {};
    QualType T = VD->getType();
    if (T->isArrayType())
      T = A.Ctx.getBaseElementType(T);
    LockRef R;
    if (VD->hasGlobalStorage() && !VD->isStaticLocal()) {
      R.Class = A.Classes.intern(VD->getName(), VD->getName(), kindOfType(T));
      return R;
    }
    if (!isLockType(T))
      return {};
    std::string Key = FD->getName().str() + "::" + VD->getName().str();
    R.Class = A.Classes.intern(Key, VD->getName(), kindOfType(T));
    return R;
  }
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
    const Expr *Base = AS->getBase()->IgnoreParenImpCasts();
    if (Base->getType()->isArrayType())
      return resolveObj(Base);
    return resolvePtr(AS->getBase());
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_Deref)
      return resolvePtr(UO->getSubExpr());
  return {};
}

LockRef FunctionAnalysis::resolvePtr(const Expr *E) {
  E = E->IgnoreParenCasts();
  // ({ mutex_lock(_T); _T; }): the value of a statement expression is its
  // last statement's.
  if (const auto *SE = dyn_cast<StmtExpr>(E)) {
    const CompoundStmt *CS = SE->getSubStmt();
    if (CS && !CS->body_empty())
      if (const auto *Last = dyn_cast<Expr>(CS->body_back()))
        return resolvePtr(Last);
    return {};
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_AddrOf)
      return resolveObj(UO->getSubExpr());
    if (UO->getOpcode() == UO_Deref)
      return resolvePointee(UO->getSubExpr());
    return {};
  }
  if (const auto *DR = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DR->getDecl());
    if (!VD)
      return {};
    if (VD->getType()->isArrayType())
      return resolveObj(E);
    if (Cur && VD->hasLocalStorage())
      if (const LockRef *P = Cur->ptr(VD))
        return *P;
    if (Reassigned.count(VD))
      return {};
    if (const auto *P = dyn_cast<ParmVarDecl>(VD)) {
      LockRef R;
      R.Param = paramIndex(P);
      return R;
    }
    auto It = Alias.find(VD);
    if (It != Alias.end() && AliasDepth < 8) {
      ++AliasDepth;
      LockRef R = resolvePtr(It->second);
      --AliasDepth;
      return R;
    }
    return {};
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    // spinlock_check(lock) and friends: a callee returning a pointer to
    // (part of) the lock its caller passed.
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee || lo_rules_find_function(A.Rules, Callee->getName().str().c_str()))
      return {};
    const FunctionSummary *CS = A.summaryFor(Callee);
    if (!CS || CS->ReturnsConflict || !CS->Returns.valid())
      return {};
    Args As;
    As.Call = CE;
    return subst(CS->Returns, As);
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    // _T->lock in a lock guard's constructor, where _T points to a local
    // struct initialised with { .lock = l }: the lock is l.
    const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
    const Expr *Base = ME->getBase()->IgnoreParenCasts();
    const VarDecl *Var = nullptr;
    if (ME->isArrow()) {
      if (const auto *DR = dyn_cast<DeclRefExpr>(Base))
        if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl())) {
          auto It = Alias.find(VD);
          if (It != Alias.end() && !Reassigned.count(VD))
            if (const auto *UO =
                    dyn_cast<UnaryOperator>(It->second->IgnoreParenCasts()))
              if (UO->getOpcode() == UO_AddrOf)
                if (const auto *DR2 = dyn_cast<DeclRefExpr>(
                        UO->getSubExpr()->IgnoreParenCasts()))
                  Var = dyn_cast<VarDecl>(DR2->getDecl());
        }
    } else if (const auto *DR = dyn_cast<DeclRefExpr>(Base)) {
      Var = dyn_cast<VarDecl>(DR->getDecl());
    }
    if (!Field || !Var || !Var->hasLocalStorage() || Reassigned.count(Var))
      return {};
    const auto *ILE =
        dyn_cast_or_null<InitListExpr>(Var->getInit() ? Var->getInit()->IgnoreParenCasts() : nullptr);
    if (!ILE || Field->getFieldIndex() >= ILE->getNumInits() ||
        AliasDepth >= 8)
      return {};
    ++AliasDepth;
    LockRef R = resolvePtr(ILE->getInit(Field->getFieldIndex()));
    --AliasDepth;
    return R;
  }
  return {};
}

/// The lock that the pointer *E points to, E being a pointer to a pointer.
LockRef FunctionAnalysis::resolvePointee(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf)
      return resolvePtr(UO->getSubExpr());
  if (const auto *DR = dyn_cast<DeclRefExpr>(E))
    if (const auto *P = dyn_cast<ParmVarDecl>(DR->getDecl()))
      if (!Reassigned.count(P)) {
        LockRef R;
        R.Param = paramIndex(P);
        R.Deref = true;
        return R;
      }
  return {};
}

LockRef FunctionAnalysis::argPtr(const Args &As, unsigned I) {
  if (As.Call)
    return I < As.Call->getNumArgs() ? resolvePtr(As.Call->getArg(I))
                                     : LockRef();
  if (I != 0)
    return {};
  // &Var: the cleanup variable is itself the lock only if it is one.
  QualType T = As.CleanupVar->getType();
  if (!isLockType(T))
    return {};
  LockRef R;
  std::string Key = FD->getName().str() + "::" + As.CleanupVar->getName().str();
  R.Class = A.Classes.intern(Key, As.CleanupVar->getName(), kindOfType(T));
  return R;
}

LockRef FunctionAnalysis::argPointee(const Args &As, unsigned I) {
  if (As.Call)
    return I < As.Call->getNumArgs() ? resolvePointee(As.Call->getArg(I))
                                     : LockRef();
  if (I != 0)
    return {};
  if (Cur)
    if (const LockRef *P = Cur->ptr(As.CleanupVar))
      if (P->valid())
        return *P;
  if (Reassigned.count(As.CleanupVar))
    return {};
  auto It = Alias.find(As.CleanupVar);
  if (It == Alias.end())
    return {};
  return resolvePtr(It->second);
}

LockRef FunctionAnalysis::subst(const LockRef &R, const Args &As) {
  if (R.Class >= 0)
    return R;
  if (R.Param < 0)
    return {};
  return R.Deref ? argPointee(As, R.Param) : argPtr(As, R.Param);
}

void FunctionAnalysis::describe(const LockRef &L, int &Cls, int &Decl,
                                lo_kind &Kind, std::string &Name) const {
  if (L.Class >= 0) {
    const LockClass &C = A.Classes.get(L.Class);
    Cls = L.Class;
    Decl = C.Decl;
    Kind = C.Kind;
    Name = C.Name;
    return;
  }
  // A parameter's lock: a class of its own within this function.
  Cls = -2 - 2 * L.Param - (L.Deref ? 1 : 0);
  Decl = -1;
  Kind = LO_KIND_NONE;
  Name = "lock";
  if (L.Param >= 0 && static_cast<unsigned>(L.Param) < FD->getNumParams()) {
    const ParmVarDecl *P = FD->getParamDecl(L.Param);
    Name = (L.Deref ? "*" : "") + P->getName().str();
    QualType T = P->getType();
    if (T->isPointerType())
      T = T->getPointeeType();
    if (L.Deref && T->isPointerType())
      T = T->getPointeeType();
    Kind = const_cast<FunctionAnalysis *>(this)->kindOfType(T);
  }
}

/// lock_is_held() is what lockdep_assert_held() expands to, but also
/// lockdep_assert_not_held() and plain conditions (rcu_dereference_protected
/// with lockdep_is_held() || ...).  Only an expansion of a
/// lockdep_assert_held*() macro asserts anything; a call written directly
/// does too.
bool FunctionAnalysis::assertsHere(SourceLocation Loc) const {
  if (!Loc.isMacroID())
    return true;
  bool Assert = false;
  for (unsigned I = 0; Loc.isMacroID() && I < 32; ++I) {
    llvm::StringRef Name =
        Lexer::getImmediateMacroName(Loc, A.SM, A.Ctx.getLangOpts());
    if (Name.contains("not_held"))
      return false;
    if (Name.starts_with("lockdep_assert_held"))
      Assert = true;
    Loc = A.SM.getImmediateMacroCallerLoc(Loc);
  }
  return Assert;
}

void FunctionAnalysis::skipped(SourceLocation Loc, const std::string &What) {
  Loc = fileLoc(Loc);
  if (!Report || !Skipped.insert({Loc.getRawEncoding(), What}).second)
    return;
  A.Handler.handleSkipped(Loc, What);
}

//===-- whole-program summaries -------------------------------------------===//

lo_loc FunctionAnalysis::sloc(SourceLocation L, Pool &P) const {
  lo_loc R{nullptr, 0, 0};
  L = fileLoc(L);
  if (L.isInvalid())
    return R;
  PresumedLoc PL = A.SM.getPresumedLoc(L);
  if (PL.isInvalid())
    return R;
  P.push_back(PL.getFilename());
  R.file = P.back().c_str();
  R.line = static_cast<int>(PL.getLine());
  R.col = static_cast<int>(PL.getColumn());
  return R;
}

lo_sref FunctionAnalysis::sref(const LockRef &L, Pool &P) const {
  lo_sref R{};
  R.param = -1;
  int Cls, Decl;
  lo_kind Kind;
  std::string Name;
  describe(L, Cls, Decl, Kind, Name);
  P.push_back(Name);
  R.name = P.back().c_str();
  R.kind = Kind;
  if (L.Class >= 0) {
    P.push_back(A.Classes.get(L.Class).Key);
    R.cls = P.back().c_str();
    R.declared = Decl >= 0;
  } else {
    R.param = L.Param;
    R.deref = L.Deref;
  }
  return R;
}

std::vector<lo_sheld> FunctionAnalysis::sheld(const State &St, Pool &P) const {
  std::vector<lo_sheld> V;
  for (const Fact &F : St.Held) {
    lo_sheld H{};
    H.lock = sref(F.Lock, P);
    H.shared = F.Shared;
    H.subclass = F.Subclass;
    H.asserted = F.Asserted;
    H.at = sloc(F.Loc, P);
    V.push_back(H);
  }
  return V;
}

/// Our caller's locks released by this point of the path.
std::vector<lo_sref> FunctionAnalysis::released(const State &St,
                                                Pool &P) const {
  std::vector<lo_sref> V;
  for (const LockRef &L : St.Released)
    V.push_back(sref(L, P));
  return V;
}

std::vector<lo_scond> FunctionAnalysis::scond(const State &St) const {
  llvm::SmallVector<Cond, 2> Cs;
  condsOf(St, Cs);
  std::vector<lo_scond> V;
  for (const Cond &C : Cs) {
    lo_scond S{};
    S.param = C.Param;
    if (C.IsExact) {
      S.kind = LO_WHEN_EQ;
      S.value = C.N;
    } else if (C.Is == Val::Zero) {
      S.kind = LO_WHEN_ZERO;
    } else if (C.Is == Val::Negative) {
      S.kind = LO_WHEN_NEGATIVE;
    } else {
      S.kind = LO_WHEN_NONZERO;
    }
    V.push_back(S);
  }
  return V;
}

std::string FunctionAnalysis::heldSignature(const State &St) const {
  std::string Sig;
  for (const lo_scond &C : scond(St))
    Sig += "w" + std::to_string(C.param) + ":" + std::to_string(C.kind) + ":" +
           std::to_string(C.value) + ";";
  for (const Fact &F : St.Held)
    Sig += std::to_string(F.Lock.Class) + "/" + std::to_string(F.Lock.Param) +
           (F.Lock.Deref ? "d" : "") + (F.Shared ? "s" : "") + ";";
  return Sig;
}

std::string FunctionAnalysis::staticName(const FunctionDecl *F) const {
  // Functions with internal linkage are known within their translation
  // unit only: their slot keys carry the source.
  return F->isExternallyVisible() ? F->getName().str()
                                  : A.Source + ":" + F->getName().str();
}

void FunctionAnalysis::recordAcq(const State &St, const LockRef &L,
                                 bool Shared, int Subclass, lo_effect_op Op,
                                 bool Trylock, SourceLocation Loc) {
  Loc = fileLoc(Loc);
  std::string Key = "acq " + std::to_string(Loc.getRawEncoding()) + " " +
                    std::to_string(L.Class) + "/" + std::to_string(L.Param) +
                    heldSignature(St);
  if (!A.Recorded.insert(Key).second)
    return;
  Pool P;
  std::string Fn = FD->getName().str();
  std::vector<lo_sheld> H = sheld(St, P);
  lo_sacq R{};
  R.fn = Fn.c_str();
  R.fn_static = !FD->isExternallyVisible();
  R.lock = sref(L, P);
  R.op = Op;
  R.shared = Shared;
  R.subclass = Subclass;
  R.trylock = Trylock;
  R.at = sloc(Loc, P);
  R.held = H.data();
  R.nheld = H.size();
  std::vector<lo_sref> Rel = released(St, P);
  std::vector<lo_scond> When = scond(St);
  R.released = Rel.data();
  R.nreleased = Rel.size();
  R.when = When.data();
  R.nwhen = When.size();
  A.Handler.handleAcquisition(R);
}

void FunctionAnalysis::recordCall(const State &St, const FunctionDecl *Callee,
                                  const std::string &Target,
                                  const CallExpr *CE) {
  SourceLocation Loc = fileLoc(CE->getBeginLoc());
  std::string Key = "call " + std::to_string(Loc.getRawEncoding()) + " " +
                    heldSignature(St);
  if (!A.Recorded.insert(Key).second)
    return;
  Pool P;
  std::string Fn = FD->getName().str();
  std::string CalleeName = Callee ? Callee->getName().str() : "";
  std::vector<lo_sheld> H = sheld(St, P);
  std::vector<lo_sarg> Args;
  for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
    lo_sarg Ag{};
    Ag.kind = LO_ARG_NONE;
    Ag.lock.param = -1;
    const Expr *E = CE->getArg(I);
    if (const FunctionDecl *F = functionAddress(E)) {
      Ag.kind = LO_ARG_FUNCTION;
      P.push_back(F->getName().str());
      Ag.fn = P.back().c_str();
      Ag.fn_static = !F->isExternallyVisible();
      // A function passed as an argument is stored into the callee's
      // parameter slot: calls through that parameter reach it.
      if (Callee)
        recordStore("param:" + staticName(Callee) + ":" + std::to_string(I),
                    F, E->getBeginLoc());
    } else if (E->getType()->isPointerType()) {
      LockRef L = const_cast<FunctionAnalysis *>(this)->resolvePtr(E);
      if (L.valid()) {
        Ag.kind = LO_ARG_LOCK;
        Ag.lock = sref(L, P);
      }
    } else if (E->getType()->isIntegralOrEnumerationType()) {
      // What the callee's paths assume of it can then be checked.
      const Expr *X = E->IgnoreParenImpCasts();
      Expr::EvalResult ER;
      if (!X->isValueDependent() &&
          X->EvaluateAsInt(ER, A.Ctx, Expr::SE_NoSideEffects)) {
        Ag.kind = LO_ARG_INT;
        Ag.value = ER.Val.getInt().getExtValue();
      } else if (const auto *DR = dyn_cast<DeclRefExpr>(X)) {
        if (const auto *PV = dyn_cast<ParmVarDecl>(DR->getDecl())) {
          int PI = paramIndex(PV);
          if (PI >= 0 && !Reassigned.count(PV)) {
            Ag.kind = LO_ARG_PARAM;
            Ag.param = PI;
          }
        }
      }
    }
    Args.push_back(Ag);
  }
  lo_scall R{};
  R.fn = Fn.c_str();
  R.fn_static = !FD->isExternallyVisible();
  R.callee = Callee ? CalleeName.c_str() : nullptr;
  R.target = Callee ? nullptr : Target.c_str();
  R.at = sloc(Loc, P);
  R.held = H.data();
  R.nheld = H.size();
  R.args = Args.data();
  R.nargs = Args.size();
  std::vector<lo_sref> Rel = released(St, P);
  std::vector<lo_scond> When = scond(St);
  R.released = Rel.data();
  R.nreleased = Rel.size();
  R.when = When.data();
  R.nwhen = When.size();
  A.Handler.handleCall(R);
}


/// static_call_update(name, f) is __static_call_update(&__SCK__name,
/// &__SCT__name, f): calls of the trampoline __SCT__name then go to f, or
/// to every function stored in the slot f is read from
/// (kvm_x86_ops.handle_exit after the vendor's ops were copied in).
void FunctionAnalysis::recordStaticCallUpdate(const CallExpr *CE) {
  if (CE->getNumArgs() < 3)
    return;
  const Expr *K = CE->getArg(0)->IgnoreParenCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(K))
    K = UO->getSubExpr()->IgnoreParenCasts();
  const auto *DR = dyn_cast<DeclRefExpr>(K);
  if (!DR)
    return;
  llvm::StringRef KeyName = DR->getDecl()->getName();
  if (!KeyName.consume_front("__SCK__"))
    return;
  std::string Tramp = "__SCT__" + KeyName.str();
  std::string Slot;
  const Expr *F = CE->getArg(2)->IgnoreParenCasts();
  // The macro goes through a local: typeof(...) __F = (func).
  if (const auto *FR = dyn_cast<DeclRefExpr>(F))
    if (const auto *VD = dyn_cast<VarDecl>(FR->getDecl()))
      if (VD->hasLocalStorage() && VD->getInit())
        F = VD->getInit()->IgnoreParenCasts();
  if (const FunctionDecl *Fn = functionAddress(F)) {
    Slot = "static_call:" + KeyName.str();
    recordStore(Slot, Fn, CE->getBeginLoc());
  } else {
    Slot = slotKey(F);
  }
  if (Slot.empty() || !A.Recorded.insert("alias " + Tramp + " " + Slot).second)
    return;
  lo_salias R{Tramp.c_str(), Slot.c_str()};
  A.Handler.handleStaticCallAlias(R);
}

/// The slot a function pointer is read from or stored to: a struct field,
/// a global variable or array, or a parameter of this function.
std::string FunctionAnalysis::slotKey(const Expr *E) const {
  E = E->IgnoreParenCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_Deref)
      E = UO->getSubExpr()->IgnoreParenCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
      return classKeyForField(F);
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
    E = AS->getBase()->IgnoreParenCasts();
  if (const auto *DR = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *P = dyn_cast<ParmVarDecl>(DR->getDecl())) {
      int I = paramIndex(P);
      if (I >= 0)
        return "param:" + staticName(FD) + ":" + std::to_string(I);
      return "";
    }
    if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl()))
      if (VD->hasGlobalStorage())
        return "var:" +
               (VD->isExternallyVisible() ? VD->getName().str()
                                          : A.Source + ":" + VD->getName().str());
  }
  return "";
}

const FunctionDecl *FunctionAnalysis::functionAddress(const Expr *E) const {
  return functionAddressOf(E);
}

void FunctionAnalysis::recordStore(const std::string &Key,
                                   const FunctionDecl *Fn,
                                   SourceLocation Loc) {
  A.addStore(Key, Fn, Loc);
}

} // namespace

const FunctionDecl *functionAddressOf(const Expr *E) {
  E = E->IgnoreParenCasts();
  // static_call(name) is ({ __ADDRESSABLE(key); &__SCT__name; }).
  for (unsigned I = 0; I < 4; ++I) {
    const auto *SE = dyn_cast<StmtExpr>(E);
    if (!SE || !SE->getSubStmt() || SE->getSubStmt()->body_empty())
      break;
    const auto *Last = dyn_cast<Expr>(SE->getSubStmt()->body_back());
    if (!Last)
      return nullptr;
    E = Last->IgnoreParenCasts();
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr()->IgnoreParenCasts();
  if (const auto *DR = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<FunctionDecl>(DR->getDecl());
  return nullptr;
}

void LockAnalysis::Impl::addStore(const std::string &Key,
                                  const FunctionDecl *Fn, SourceLocation Loc) {
  std::string FnKey = Fn->isExternallyVisible()
                          ? Fn->getName().str()
                          : Source + ":" + Fn->getName().str();
  if (!Recorded.insert("store " + Key + " " + FnKey).second)
    return;
  std::string Name = Fn->getName().str();
  std::string File;
  lo_sstore R{};
  R.key = Key.c_str();
  R.fn = Name.c_str();
  R.fn_static = !Fn->isExternallyVisible();
  Loc = Loc.isValid() ? SM.getExpansionLoc(Loc) : Loc;
  PresumedLoc PL = Loc.isValid() ? SM.getPresumedLoc(Loc) : PresumedLoc();
  if (PL.isValid()) {
    File = PL.getFilename();
    R.at = {File.c_str(), static_cast<int>(PL.getLine()),
            static_cast<int>(PL.getColumn())};
  }
  Handler.handleStore(R);
}

/// Function addresses in a static initialiser: `.handle_exit =
/// vmx_handle_exit` stores into kvm_x86_ops.handle_exit, an array of
/// handlers into its variable's slot.
void LockAnalysis::Impl::storesFromInit(const Expr *Init, QualType T,
                                        const std::string &VarKey,
                                        unsigned Depth) {
  if (!Init || Depth > 16)
    return;
  Init = Init->IgnoreParenImpCasts();
  if (const auto *ILE = dyn_cast<InitListExpr>(Init)) {
    if (ILE->isSyntacticForm() && ILE->getSemanticForm())
      ILE = ILE->getSemanticForm();
    if (const ArrayType *AT = Ctx.getAsArrayType(T)) {
      for (const Expr *E : ILE->inits())
        storesFromInit(E, AT->getElementType(), VarKey, Depth + 1);
      return;
    }
    const RecordDecl *RD = T->getAsRecordDecl();
    if (!RD)
      return;
    auto One = [&](const FieldDecl *F, const Expr *E) {
      if (!E)
        return;
      if (const FunctionDecl *Fn = functionAddressOf(E))
        addStore(classKeyForField(F), Fn, E->getBeginLoc());
      else
        storesFromInit(E, F->getType(), "", Depth + 1);
    };
    if (RD->isUnion()) {
      if (const FieldDecl *F = ILE->getInitializedFieldInUnion())
        if (ILE->getNumInits() > 0)
          One(F, ILE->getInit(0));
      return;
    }
    unsigned I = 0;
    for (const FieldDecl *F : RD->fields()) {
      if (I >= ILE->getNumInits())
        break;
      One(F, ILE->getInit(I++));
    }
    return;
  }
  if (!VarKey.empty())
    if (const FunctionDecl *Fn = functionAddressOf(Init))
      addStore(VarKey, Fn, Init->getBeginLoc());
}

namespace {

void FunctionAnalysis::recordRet() {
  Pool P;
  std::vector<lo_sheld> Holds;
  std::vector<lo_sref> Rel;
  std::set<std::tuple<LockRef, bool, int>> SeenH;
  std::set<LockRef> SeenR;
  for (const Outcome &O : Sum.Outcomes) {
    for (const Fact &F : O.Holds)
      if (SeenH.insert({F.Lock, F.Shared, F.Subclass}).second) {
        lo_sheld H{};
        H.lock = sref(F.Lock, P);
        H.shared = F.Shared;
        H.subclass = F.Subclass;
        H.at = sloc(F.Loc, P);
        Holds.push_back(H);
      }
    for (const LockRef &R : O.Releases)
      if (SeenR.insert(R).second)
        Rel.push_back(sref(R, P));
  }
  std::string Fn = FD->getName().str();
  lo_sfunc F{};
  F.name = Fn.c_str();
  F.is_static = !FD->isExternallyVisible();
  F.in_main = Report;
  F.at = sloc(FD->getLocation(), P);
  F.nparams = static_cast<int>(FD->getNumParams());
  A.Handler.handleFunction(F);
  if (Holds.empty() && Rel.empty())
    return;
  lo_sret R{};
  R.fn = Fn.c_str();
  R.fn_static = F.is_static;
  R.holds = Holds.data();
  R.nholds = Holds.size();
  R.releases = Rel.data();
  R.nreleases = Rel.size();
  A.Handler.handleReturns(R);
}

//===-- what paths assume of parameters -----------------------------------===//

void FunctionAnalysis::condsOf(const State &St,
                               llvm::SmallVectorImpl<Cond> &Out) const {
  auto Add = [&](const Cond &C) {
    for (const Cond &D : Out)
      if (D.Param == C.Param)
        return;
    Out.push_back(C);
  };
  for (const auto &P : St.Exact)
    if (!P.first.second && P.first.D)
      if (const auto *PV = dyn_cast<ParmVarDecl>(P.first.D)) {
        int I = paramIndex(PV);
        if (I >= 0 && !Reassigned.count(PV)) {
          Cond C;
          C.Param = I;
          C.IsExact = true;
          C.N = P.second;
          Add(C);
        }
      }
  for (const auto &P : St.Known)
    if (!P.first.second && P.first.D && P.second != Val::Unknown)
      if (const auto *PV = dyn_cast<ParmVarDecl>(P.first.D)) {
        int I = paramIndex(PV);
        if (I >= 0 && !Reassigned.count(PV)) {
          Cond C;
          C.Param = I;
          C.Is = P.second;
          Add(C);
        }
      }
}

void FunctionAnalysis::release(State &St, const LockRef &L) {
  int I = St.find(L);
  if (I >= 0) {
    St.Held.erase(St.Held.begin() + I);
    return;
  }
  // Not taken here: the caller's lock, released on its behalf.
  if (std::find(St.Released.begin(), St.Released.end(), L) ==
      St.Released.end())
    St.Released.push_back(L);
}

void FunctionAnalysis::applyRulesFunction(const lo_function *F, const Args &As,
                                          SourceLocation Loc,
                                          const Expr *CallE, State St,
                                          std::vector<State> &Out) {
  std::vector<State> Cur{St};
  for (size_t EI = 0; EI < F->neffects; ++EI) {
    const lo_effect &E = F->effects[EI];
    LockRef L;
    if (E.param >= 0) {
      L = argPtr(As, E.param);
    } else if (E.lock >= 0) {
      const lo_lock *DL = lo_rules_lock(A.Rules, E.lock);
      int Id = A.Classes.lookup(DL->name);
      if (Id < 0) {
        Id = A.Classes.intern(DL->name, DL->name, DL->kind);
        A.Classes.declare(DL->name, A.Rules, E.lock);
      }
      L.Class = Id;
    }
    if (!L.valid()) {
      if (E.op == LO_ACQUIRE || E.op == LO_WAIT) {
        std::string Arg =
            As.Call && E.param >= 0 &&
                    static_cast<unsigned>(E.param) < As.Call->getNumArgs()
                ? spelling(As.Call->getArg(E.param))
                : std::string("?");
        skipped(Loc, "cannot tell which lock '" + Arg + "' names; " +
                         (E.op == LO_WAIT ? "wait" : "acquisition") +
                         " skipped");
      } else if (E.op == LO_RELEASE) {
        ++Sum.UnresolvedReleases;
      }
      continue;
    }
    int Subclass = 0;
    if (E.nested_param >= 0 && As.Call &&
        static_cast<unsigned>(E.nested_param) < As.Call->getNumArgs()) {
      // A subclass that is not a constant cannot be told (-1).
      Expr::EvalResult R;
      Subclass = -1;
      if (As.Call->getArg(E.nested_param)
              ->EvaluateAsInt(R, A.Ctx, Expr::SE_AllowSideEffects))
        Subclass = static_cast<int>(R.Val.getInt().getExtValue());
    }
    std::vector<State> Next;
    for (State &S : Cur) {
      if (E.op == LO_ACQUIRE || E.op == LO_WAIT)
        recordAcq(S, L, E.op == LO_ACQUIRE && E.shared, Subclass, E.op,
                  E.op == LO_ACQUIRE && E.cond == LO_IF_RETURNS_NONZERO, Loc);
      switch (E.op) {
      case LO_ACQUIRE: {
        Fact Fa{L, static_cast<bool>(E.shared), Subclass, false, fileLoc(Loc)};
        if (E.cond == LO_ALWAYS) {
          if (S.find(L) < 0)
            S.Held.push_back(Fa);
          Next.push_back(S);
          break;
        }
        // The lock is taken only on the success path; the result tells.
        State Ok = S, Fail = S;
        if (Ok.find(L) < 0)
          Ok.Held.push_back(Fa);
        if (E.cond == LO_IF_RETURNS_ZERO) {
          Ok.setKnown(CallE, Val::Zero);
          Fail.setKnown(CallE, Val::Negative);
        } else {
          Ok.setKnown(CallE, Val::NonZero);
          Fail.setKnown(CallE, Val::Zero);
        }
        Next.push_back(Ok);
        Next.push_back(Fail);
        break;
      }
      case LO_RELEASE:
        release(S, L);
        Next.push_back(S);
        break;
      case LO_WAIT:
        Next.push_back(S);
        break;
      case LO_ASSERT:
        if (!assertsHere(Loc)) {
          Next.push_back(S);
          break;
        }
        if (S.find(L) < 0)
          S.Held.push_back({L, static_cast<bool>(E.shared), 0, true,
                            fileLoc(Loc)});
        Next.push_back(S);
        break;
      }
    }
    Cur = std::move(Next);
  }
  for (State &S : Cur)
    Out.push_back(std::move(S));
}

void FunctionAnalysis::applySummary(const FunctionDecl *Callee,
                                    const FunctionSummary &CS, const Args &As,
                                    SourceLocation Loc, const Expr *CallE,
                                    State St, std::vector<State> &Out) {
  if (CS.Outcomes.empty()) {
    // Never returns (or recursion cut it short): nothing held after.
    Out.push_back(St);
    return;
  }
  for (const Outcome &O : CS.Outcomes) {
    State S = St;
    for (const LockRef &R : O.Releases) {
      LockRef L = subst(R, As);
      if (L.valid())
        release(S, L);
    }
    for (const Fact &F : O.Holds) {
      LockRef L = subst(F.Lock, As);
      if (!L.valid() || S.find(L) >= 0)
        continue;
      S.Held.push_back({L, F.Shared, F.Subclass, false, Loc});
    }
    if (CS.Outcomes.size() > 1 && CallE)
      S.setKnown(CallE, O.Ret);
    Out.push_back(std::move(S));
  }
}

void FunctionAnalysis::transferCall(const FunctionDecl *Callee, const Args &As,
                                    SourceLocation Loc, const Expr *CallE,
                                    State St, std::vector<State> &Out) {
  std::string Name = Callee->getName().str();
  if (const lo_function *F = lo_rules_find_function(A.Rules, Name.c_str())) {
    applyRulesFunction(F, As, Loc, CallE, std::move(St), Out);
    return;
  }
  if (Callee->getBuiltinID()) {
    Out.push_back(std::move(St));
    return;
  }
  if (As.Call) {
    if (Name == "__static_call_update")
      recordStaticCallUpdate(As.Call);
    recordCall(St, Callee, "", As.Call);
  }
  const FunctionSummary *CS = A.summaryFor(Callee);
  if (!CS) {
    Out.push_back(std::move(St));
    return;
  }
  const FunctionDecl *Def = Callee->getDefinition();
  applySummary(Def ? Def : Callee, *CS, As, Loc, CallE, std::move(St), Out);
}

void FunctionAnalysis::transferStmt(const Stmt *S, State &St,
                                    std::vector<State> &Out) {
  if (const auto *CE = dyn_cast<CallExpr>(S)) {
    if (const FunctionDecl *Callee = CE->getDirectCallee()) {
      Args As;
      As.Call = CE;
      Cur = &St;
      transferCall(Callee, As, CE->getBeginLoc(), CE, St, Out);
      Cur = nullptr;
      return;
    }
    // static_call(name)(...) casts the trampoline: still a direct call.
    if (const FunctionDecl *Fn = functionAddress(CE->getCallee())) {
      Args As;
      As.Call = CE;
      Cur = &St;
      transferCall(Fn, As, CE->getBeginLoc(), CE, St, Out);
      Cur = nullptr;
      return;
    }
    std::string Key = slotKey(CE->getCallee());
    if (!Key.empty())
      recordCall(St, nullptr, Key, CE);
    Out.push_back(St);
    return;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->getOpcode() == BO_Assign)
      if (const FunctionDecl *Fn = functionAddress(BO->getRHS())) {
        std::string Key = slotKey(BO->getLHS());
        if (!Key.empty())
          recordStore(Key, Fn, BO->getOperatorLoc());
      }
    if (BO->isAssignmentOp())
      if (const auto *ME =
              dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts())) {
        ValKey K = valKey(ME);
        if (K.first) {
          Val V = BO->isCompoundAssignmentOp() ? Val::Unknown
                                               : eval(BO->getRHS(), St);
          St.forget(K);
          St.setKnown(K, V);
        }
      }
    if (BO->isAssignmentOp())
      if (const auto *DR =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts())) {
        Val V = BO->isCompoundAssignmentOp() ? Val::Unknown
                                             : eval(BO->getRHS(), St);
        St.forgetVar(DR->getDecl());
        St.setKnown(DR->getDecl(), V);
        const auto *VD = dyn_cast<VarDecl>(DR->getDecl());
        if (VD && VD->hasLocalStorage() && VD->getType()->isPointerType() &&
            !BO->isCompoundAssignmentOp()) {
          Cur = &St;
          LockRef R = resolvePtr(BO->getRHS());
          Cur = nullptr;
          St.setPtr(VD, R);
        }
      }
  } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    if (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf) {
      if (const auto *DR =
              dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts()))
        St.forgetVar(DR->getDecl());
      ValKey K = valKey(UO->getSubExpr());
      if (K.first)
        St.forget(K);
    }
  } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D)) {
        St.forgetVar(VD);
        if (VD->getInit())
          St.setKnown(VD, eval(VD->getInit(), St));
        if (VD->getInit() && VD->hasLocalStorage() &&
            VD->getType()->isPointerType()) {
          Cur = &St;
          LockRef R = resolvePtr(VD->getInit());
          Cur = nullptr;
          St.setPtr(VD, R);
        }
        // A guard variable: remember what its initialiser took, for a
        // destructor whose lock cannot be told from its body.
        if (VD->hasAttr<CleanupAttr>() && VD->getInit()) {
          if (const auto *ICE =
                  dyn_cast<CallExpr>(VD->getInit()->IgnoreParenCasts()))
            for (const Fact &F : St.Held)
              if (F.Loc == fileLoc(ICE->getBeginLoc()))
                GuardLocks[VD].push_back(F.Lock);
        }
      }
  } else if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
    if (const Expr *RV = RS->getRetValue()) {
      St.Ret = eval(RV, St);
      if (RV->getType()->isPointerType()) {
        LockRef R = resolvePtr(RV);
        if (!R.valid() || (Sum.Returns.valid() && !(Sum.Returns == R)))
          Sum.ReturnsConflict = true;
        else
          Sum.Returns = R;
      }
    }
  }
  Out.push_back(St);
}

Val FunctionAnalysis::eval(const Expr *E, const State &St) const {
  if (!E)
    return Val::Unknown;
  E = E->IgnoreParenCasts();
  if (const auto *IL = dyn_cast<IntegerLiteral>(E))
    return IL->getValue() == 0 ? Val::Zero : Val::NonZero;
  // true and false are enum constants in the kernel; sizeof, macros.
  if (const auto *DRC = dyn_cast<DeclRefExpr>(E))
    if (const auto *EC = dyn_cast<EnumConstantDecl>(DRC->getDecl()))
      return EC->getInitVal() == 0 ? Val::Zero
             : EC->getInitVal().isNegative() ? Val::Negative
                                             : Val::NonZero;
  if (isa<CharacterLiteral>(E) || isa<UnaryExprOrTypeTraitExpr>(E)) {
    Expr::EvalResult R;
    if (E->EvaluateAsInt(R, A.Ctx))
      return R.Val.getInt() == 0 ? Val::Zero : Val::NonZero;
  }
  if (const auto *DR = dyn_cast<DeclRefExpr>(E))
    return St.known(DR->getDecl());
  if (isa<MemberExpr>(E)) {
    ValKey K = valKey(E);
    return K.first ? St.known(K) : Val::Unknown;
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    if (CE->getBuiltinCallee() == Builtin::BI__builtin_expect &&
        CE->getNumArgs() >= 1)
      return eval(CE->getArg(0), St);
    return St.known(CE);
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_LNot)
      return negate(eval(UO->getSubExpr(), St));
    if (UO->getOpcode() == UO_Minus) {
      Val V = eval(UO->getSubExpr(), St);
      return V == Val::Zero ? Val::Zero : Val::Unknown;
    }
    return Val::Unknown;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    BinaryOperatorKind Op = BO->getOpcode();
    if (Op == BO_Assign)
      return eval(BO->getRHS(), St);
    if (Op == BO_Comma)
      return eval(BO->getRHS(), St);
    if (Op == BO_LAnd || Op == BO_LOr) {
      int L = truth(eval(BO->getLHS(), St)), R = truth(eval(BO->getRHS(), St));
      if (Op == BO_LAnd) {
        if (L == 0 || R == 0)
          return Val::Zero;
        if (L == 1 && R == 1)
          return Val::NonZero;
      } else {
        if (L == 1 || R == 1)
          return Val::NonZero;
        if (L == 0 && R == 0)
          return Val::Zero;
      }
      return Val::Unknown;
    }
    const Expr *Other = nullptr;
    bool ZeroOnRight = false;
    auto IsZero = [](const Expr *X) {
      X = X->IgnoreParenCasts();
      const auto *IL = dyn_cast<IntegerLiteral>(X);
      return IL && IL->getValue() == 0;
    };
    if (IsZero(BO->getRHS())) {
      Other = BO->getLHS();
      ZeroOnRight = true;
    } else if (IsZero(BO->getLHS())) {
      Other = BO->getRHS();
    }
    if (!Other)
      return Val::Unknown;
    Val V = eval(Other, St);
    if (V == Val::Unknown)
      return Val::Unknown;
    if (!ZeroOnRight) {
      // 0 < x is x > 0 and so on.
      if (Op == BO_LT)
        Op = BO_GT;
      else if (Op == BO_GT)
        Op = BO_LT;
      else if (Op == BO_LE)
        Op = BO_GE;
      else if (Op == BO_GE)
        Op = BO_LE;
    }
    switch (Op) {
    case BO_EQ:
      return negate(V);
    case BO_NE:
      return V == Val::Zero ? Val::Zero : Val::NonZero;
    case BO_LT: // x < 0
      if (V == Val::Negative)
        return Val::NonZero;
      if (V == Val::Zero)
        return Val::Zero;
      return Val::Unknown;
    case BO_GE: // x >= 0
      if (V == Val::Negative)
        return Val::Zero;
      if (V == Val::Zero)
        return Val::NonZero;
      return Val::Unknown;
    case BO_GT: // x > 0
      if (V == Val::Negative || V == Val::Zero)
        return Val::Zero;
      return Val::Unknown;
    case BO_LE: // x <= 0
      if (V == Val::Negative || V == Val::Zero)
        return Val::NonZero;
      return Val::Unknown;
    default:
      return Val::Unknown;
    }
  }
  return Val::Unknown;
}

/// Records what taking branch BRANCH of COND teaches about the variable or
/// call it tests, so a second test of the same thing goes the same way.
void FunctionAnalysis::refine(const Expr *Cond, bool Branch, State &St) const {
  const Expr *E = Cond->IgnoreParenCasts();
  while (true) {
    if (const auto *CE = dyn_cast<CallExpr>(E))
      if (CE->getBuiltinCallee() == Builtin::BI__builtin_expect &&
          CE->getNumArgs() >= 1) {
        E = CE->getArg(0)->IgnoreParenCasts();
        continue;
      }
    if (const auto *UO = dyn_cast<UnaryOperator>(E))
      if (UO->getOpcode() == UO_LNot) {
        Branch = !Branch;
        E = UO->getSubExpr()->IgnoreParenCasts();
        continue;
      }
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      if (BO->getOpcode() == BO_Assign) {
        refine(BO->getRHS(), Branch, St);
        E = BO->getLHS()->IgnoreParenCasts();
        continue;
      }
      if (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE) {
        const Expr *L = BO->getLHS()->IgnoreParenCasts();
        const Expr *R = BO->getRHS()->IgnoreParenCasts();
        const Expr *X = nullptr;
        if (const auto *IL = dyn_cast<IntegerLiteral>(R))
          X = IL->getValue() == 0 ? L : nullptr;
        else if (const auto *IL2 = dyn_cast<IntegerLiteral>(L))
          X = IL2->getValue() == 0 ? R : nullptr;
        if (!X)
          return;
        if (BO->getOpcode() == BO_EQ)
          Branch = !Branch;
        E = X;
        continue;
      }
    }
    break;
  }
  ValKey Key = valKey(E);
  if (!Key.first)
    return;
  Val Old = St.known(Key);
  if (Branch) {
    if (Old == Val::Unknown || Old == Val::Zero)
      St.setKnown(Key, Val::NonZero);
  } else {
    St.setKnown(Key, Val::Zero);
  }
}

const Expr *FunctionAnalysis::terminatorCondition(const CFGBlock *B) const {
  const Stmt *T = B->getTerminatorStmt();
  if (!T)
    return nullptr;
  const Expr *Cond = nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(T)) {
    // The block of the left operand of && or ||.
    if (!BO->isLogicalOp())
      return nullptr;
    Cond = BO->getLHS();
  } else {
    Cond = dyn_cast_or_null<Expr>(B->getTerminatorCondition(false));
    if (!Cond)
      return nullptr;
  }
  // The block of the last operand of a chain of && and ||: its own operand
  // decides; the others were decided by the blocks before.
  while (true) {
    const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParens());
    if (!BO || !BO->isLogicalOp())
      break;
    Cond = BO->getRHS();
  }
  return Cond;
}

void FunctionAnalysis::transferBlock(const CFGBlock *B,
                                     std::vector<State> &States) {
  for (const CFGElement &E : *B) {
    std::vector<State> Next;
    if (auto CS = E.getAs<CFGStmt>()) {
      for (State &S : States)
        transferStmt(CS->getStmt(), S, Next);
    } else if (auto CF = E.getAs<CFGCleanupFunction>()) {
      const VarDecl *VD = CF->getVarDecl();
      const FunctionDecl *Fn = CF->getFunctionDecl();
      for (State &S : States) {
        if (!Fn) {
          Next.push_back(S);
          continue;
        }
        Args As;
        As.CleanupVar = VD;
        size_t Before = Next.size();
        // A guard's destructor releases what its constructor took, even
        // when which lock that is cannot be told from the destructor.
        unsigned Unresolved = 0;
        if (const FunctionSummary *FS = A.summaryFor(Fn)) {
          Unresolved = FS->UnresolvedReleases;
          for (const Outcome &O : FS->Outcomes)
            Unresolved += O.Releases.size();
        }
        Cur = &S;
        transferCall(Fn, As, VD->getLocation(), nullptr, S, Next);
        Cur = nullptr;
        // A lock-guard destructor whose lock cannot be told from its body
        // releases what the guard's initialiser took.
        if (Unresolved)
          for (size_t I = Before; I < Next.size(); ++I)
            for (const LockRef &L : GuardLocks.lookup(VD))
              release(Next[I], L);
      }
    } else {
      Next = States;
    }
    // Bound the states within a block too.
    std::vector<State> Joined;
    for (State &S : Next)
      addState(Joined, S);
    States = std::move(Joined);
  }
}

void FunctionAnalysis::run() {
  const Stmt *Body = FD->getBody();
  if (!Body)
    return;
  collectAliases(Body);

  CFG::BuildOptions BO;
  BO.AddImplicitDtors = true;
  BO.AddInitializers = false;
  BO.setAllAlwaysAdd();
  std::unique_ptr<CFG> G =
      CFG::buildCFG(FD, const_cast<Stmt *>(Body), &A.Ctx, BO);
  if (!G) {
    skipped(FD->getLocation(),
            "cannot build a CFG for '" + FD->getName().str() +
                "'; function skipped");
    return;
  }

  // One pass in reverse post-order, repeated until the loops settle.
  std::vector<const CFGBlock *> Order;
  {
    PostOrderCFGView::CFGBlockSet Visited(G.get());
    std::vector<const CFGBlock *> Post;
    std::vector<std::pair<const CFGBlock *, CFGBlock::const_succ_iterator>>
        Stack;
    const CFGBlock *Entry = &G->getEntry();
    Visited.insert(Entry);
    Stack.push_back({Entry, Entry->succ_begin()});
    while (!Stack.empty()) {
      auto &Top = Stack.back();
      if (Top.second == Top.first->succ_end()) {
        Post.push_back(Top.first);
        Stack.pop_back();
        continue;
      }
      const CFGBlock *Succ = *Top.second;
      ++Top.second;
      if (Succ && Visited.insert(Succ).second)
        Stack.push_back({Succ, Succ->succ_begin()});
    }
    Order.assign(Post.rbegin(), Post.rend());
  }

  std::vector<std::vector<State>> In(G->getNumBlockIDs());
  std::vector<bool> Dirty(G->getNumBlockIDs(), false);
  In[G->getEntry().getBlockID()].push_back(State());
  Dirty[G->getEntry().getBlockID()] = true;
  std::vector<State> ExitStates;
  const CFGBlock *Exit = &G->getExit();

  unsigned Budget = 64 * (Order.size() + 1);
  bool Progress = true;
  while (Progress && Budget) {
    Progress = false;
    for (const CFGBlock *B : Order) {
      unsigned Id = B->getBlockID();
      if (!Dirty[Id])
        continue;
      if (!Budget--)
        break;
      Dirty[Id] = false;
      Progress = true;
      std::vector<State> States = In[Id];
      if (B == Exit) {
        ExitStates = States;
        continue;
      }
      transferBlock(B, States);
      // A block ending in a call that never returns leads nowhere.
      if (B->hasNoReturnElement())
        continue;
      const Expr *Cond = B->succ_size() == 2 ? terminatorCondition(B) : nullptr;
      const auto *Switch = dyn_cast_or_null<SwitchStmt>(B->getTerminatorStmt());
      ValKey SwitchKey = Switch && Switch->getCond() ? valKey(Switch->getCond())
                                                     : ValKey();
      if (Switch)
        Cond = nullptr;
      unsigned SI = 0;
      for (auto It = B->succ_begin(); It != B->succ_end(); ++It, ++SI) {
        const CFGBlock *Succ = *It;
        if (!Succ)
          continue;
        bool Changed = false;
        for (const State &S : States) {
          State T = S;
          if (Cond) {
            int Tr = truth(eval(Cond, S));
            bool Branch = SI == 0;
            if (Tr >= 0 && Tr != static_cast<int>(Branch))
              continue; // this edge cannot be taken on this path
            refine(Cond, Branch, T);
          }
          // A switch on something tracked: the case taken is its value.
          if (SwitchKey.first) {
            const auto *Case = dyn_cast_or_null<CaseStmt>(Succ->getLabel());
            if (Case && !Case->caseStmtIsGNURange()) {
              Expr::EvalResult R;
              if (Case->getLHS()->EvaluateAsInt(R, A.Ctx)) {
                int64_t V = R.Val.getInt().getExtValue();
                const int64_t *Ex = S.exact(SwitchKey);
                if (Ex && *Ex != V)
                  continue;
                T.setExact(SwitchKey, V);
              }
            }
          }
          Changed |= addState(In[Succ->getBlockID()], T);
        }
        if (Changed)
          Dirty[Succ->getBlockID()] = true;
      }
    }
  }
  if (!Budget)
    skipped(FD->getLocation(), "lock analysis of '" + FD->getName().str() +
                                   "' did not settle; its summary may be "
                                   "incomplete");
  if (Dirty[Exit->getBlockID()])
    ExitStates = In[Exit->getBlockID()];

  // The outcomes: per way of returning, what is still held and released.
  for (const State &S : ExitStates) {
    Outcome O;
    O.Ret = S.Ret;
    for (const Fact &F : S.Held)
      if (!F.Asserted)
        O.Holds.push_back(F);
    O.Releases.assign(S.Released.begin(), S.Released.end());
    // Ways of returning that hold the same locks are one outcome.  What
    // any of them releases of the caller's locks counts as released (a
    // guard destructor's `if (_T) unlock` releases on the path that
    // matters): fewer locks held means fewer reports, never false ones.
    bool Merged = false;
    for (Outcome &P : Sum.Outcomes) {
      State A1, B1;
      A1.Held.assign(P.Holds.begin(), P.Holds.end());
      B1.Held.assign(O.Holds.begin(), O.Holds.end());
      if (A1.sameLocks(B1)) {
        if (P.Ret != O.Ret)
          P.Ret = Val::Unknown;
        for (const LockRef &R : O.Releases)
          if (std::find(P.Releases.begin(), P.Releases.end(), R) ==
              P.Releases.end())
            P.Releases.push_back(R);
        Merged = true;
        break;
      }
    }
    if (Merged)
      continue;
    if (Sum.Outcomes.size() < MaxOutcomes) {
      Sum.Outcomes.push_back(O);
    } else {
      // Past the bound: what every way of returning holds.
      Outcome &P = Sum.Outcomes.back();
      State A1, B1;
      A1.Held.assign(P.Holds.begin(), P.Holds.end());
      B1.Held.assign(O.Holds.begin(), O.Holds.end());
      intersectInto(A1, B1);
      P.Holds.assign(A1.Held.begin(), A1.Held.end());
      P.Ret = Val::Unknown;
    }
  }
  recordRet();
}

} // namespace

FunctionSummary *LockAnalysis::Impl::summaryFor(const FunctionDecl *FD) {
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->hasBody())
    return nullptr;
  auto It = Summaries.find(Def);
  if (It != Summaries.end())
    return It->second.get();
  if (InProgress.count(Def) || Depth >= MaxDepth)
    return nullptr;
  auto Sum = std::make_unique<FunctionSummary>();
  bool Report = SM.isInMainFile(SM.getExpansionLoc(Def->getLocation()));
  InProgress.insert(Def);
  ++Depth;
  analyze(Def, *Sum, Report);
  --Depth;
  InProgress.erase(Def);
  FunctionSummary *P = Sum.get();
  Summaries[Def] = std::move(Sum);
  return P;
}

void LockAnalysis::Impl::analyze(const FunctionDecl *FD, FunctionSummary &Sum,
                                 bool Report) {
  FunctionAnalysis FA(*this, FD, Sum, Report);
  FA.run();
}

LockAnalysis::LockAnalysis(ASTContext &Ctx, const lo_rules *Rules,
                           ClassTable &Classes, LockHandler &Handler)
    : P(std::make_unique<Impl>(Ctx, Rules, Classes, Handler)) {}

LockAnalysis::~LockAnalysis() = default;

void LockAnalysis::runOnFunction(const FunctionDecl *FD) {
  P->summaryFor(FD);
}

void LockAnalysis::setSource(llvm::StringRef Source) {
  P->Source = Source.str();
}

void LockAnalysis::recordInitializer(const VarDecl *VD) {
  if (!VD->getInit())
    return;
  std::string Key =
      "var:" + (VD->isExternallyVisible() ? VD->getName().str()
                                          : P->Source + ":" + VD->getName().str());
  P->storesFromInit(VD->getInit(), VD->getType(), Key, 0);
}

const FunctionSummary *LockAnalysis::summaryFor(const FunctionDecl *FD) {
  return P->summaryFor(FD);
}

} // namespace lockorder
