//===- LockState.h - the lockset state of the CFG walk -----*- C++ -*-===//
//
// The lockset state the CFG walk carries: what is held (facts, each
// remembering where it was taken), what is known of a few local variables,
// fields of local structs, call results and terms (Knowledge.h: fields
// through pointers, bit tests, comparisons, pure calls) -- zero, nonzero,
// negative, one value, or not one value --, local pointers to locks, and
// the caller's locks released.  The join is explicit: states holding the
// same locks and assuming the same of the parameters' values are joined by
// intersecting their knowledge; past MaxStates per block, states holding
// the same locks are joined whatever they assume, and only then distinct
// locksets are intersected (we prefer missing a report to a false one).
//
// What it does not do: name a lock (LockNames.cpp) or change a state
// (Transfer.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef LOCKORDER_PLUGIN_LOCKSTATE_H
#define LOCKORDER_PLUGIN_LOCKSTATE_H

#include "LockAnalysis.h"
#include "Knowledge.h"

#include "clang/AST/Expr.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <memory>
#include <tuple>
#include <vector>

namespace lockorder {


/// What is known about an integer value on a path.
enum class Val : uint8_t { Unknown, Zero, NonZero, Negative };

inline Val negate(Val V) {
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
inline int truth(Val V) {
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
  clang::SourceLocation Loc;
  /// The object's path (core/objpath.c), interned; nullptr if not told.
  /// Not part of the lock's identity in the lockset: it only proves that
  /// a second acquisition of the class takes the very same object.
  const char *Obj = nullptr;
  bool sameLock(const Fact &O) const {
    return Lock == O.Lock && Shared == O.Shared && Subclass == O.Subclass &&
           Asserted == O.Asserted;
  }
};

/// What a value is known by: a VarDecl or CallExpr, a local struct's
/// VarDecl and one of its FieldDecls (`r.found_memslot`), or a Term
/// (Knowledge.h: `reg->space_id`, `flags & F`, a pure call).
struct ValKey {
  const void *first = nullptr;
  const void *second = nullptr;
  const clang::Decl *D = nullptr; ///< first, when it is a declaration
  const Term *T = nullptr;        ///< first, when it is a term
  ValKey() = default;
  ValKey(const clang::Decl *A, const clang::Decl *B = nullptr)
      : first(A), second(B), D(A) {}
  ValKey(const clang::Expr *Call) : first(Call) {}
  explicit ValKey(const Term *X) : first(X), T(X) {}
  bool operator==(const ValKey &O) const {
    return first == O.first && second == O.second;
  }
  bool operator!=(const ValKey &O) const { return !(*this == O); }
};

/// The key of E if it is something whose value is tracked.
inline ValKey valKey(const clang::Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *DR = clang::dyn_cast<clang::DeclRefExpr>(E)) {
    const auto *VD = clang::dyn_cast<clang::VarDecl>(DR->getDecl());
    if (VD && VD->hasLocalStorage())
      return ValKey(VD);
    return ValKey();
  }
  if (const auto *ME = clang::dyn_cast<clang::MemberExpr>(E)) {
    if (ME->isArrow())
      return ValKey();
    const auto *DR = clang::dyn_cast<clang::DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts());
    const auto *VD = DR ? clang::dyn_cast<clang::VarDecl>(DR->getDecl()) : nullptr;
    if (VD && VD->hasLocalStorage())
      return ValKey(VD, ME->getMemberDecl());
    return ValKey();
  }
  if (clang::isa<clang::CallExpr>(E))
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
  llvm::SmallVector<std::pair<const clang::VarDecl *, LockRef>, 2> Ptrs;
  /// Exact values known on this path (a switch case taken, `x == 3`).
  llvm::SmallVector<std::pair<ValKey, int64_t>, 2> Exact;
  /// Values known to differ from a constant (`x != 3`, the else of `x == 3`).
  llvm::SmallVector<std::pair<ValKey, int64_t>, 2> Unequal;
  /// Parameters (bit K: parameter K < 64) assigned on this path: before
  /// any is, an argument naming it is the caller's value.
  uint64_t Assigned = 0;

  void noteAssigned(const clang::Decl *D) {
    if (const auto *P = llvm::dyn_cast<clang::ParmVarDecl>(D))
      if (P->getFunctionScopeIndex() < 64)
        Assigned |= uint64_t(1) << P->getFunctionScopeIndex();
  }

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

  const LockRef *ptr(const clang::VarDecl *V) const {
    for (auto &P : Ptrs)
      if (P.first == V)
        return &P.second;
    return nullptr;
  }
  void setPtr(const clang::VarDecl *V, const LockRef &L) {
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
  bool unequal(ValKey K, int64_t N) const {
    for (auto &P : Unequal)
      if (P.first == K && P.second == N)
        return true;
    return false;
  }
  void setUnequal(ValKey K, int64_t N) {
    if (!unequal(K, N))
      Unequal.push_back({K, N});
  }
  /// Forgets what is known of every key PRED holds for.
  template <class Pred> void forgetIf(Pred P) {
    auto Drop = [&](auto &V) {
      V.erase(std::remove_if(V.begin(), V.end(),
                             [&](auto &E) { return P(E.first); }),
              V.end());
    };
    Drop(Known);
    Drop(Exact);
    Drop(Unequal);
  }
  void forget(ValKey K) {
    forgetIf([&](const ValKey &X) { return X == K; });
  }
  /// Forgets a variable, every field of it and every term reading it.
  void forgetVar(const void *V) {
    forgetIf([&](const ValKey &X) {
      return X.first == V || (X.T && X.T->reads(V));
    });
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
  /// The same knowledge of the parameters' values (Known and Exact of a
  /// parameter, of `flags & F`, of `seq & 1`).
  bool sameParams(const State &O) const {
    auto Param = [](const ValKey &K) {
      if (K.T)
        return K.T->valuesOnly() && K.T->rootsAll([](const clang::VarDecl *V) {
          return llvm::isa<clang::ParmVarDecl>(V);
        });
      return !K.second && K.D && llvm::isa<clang::ParmVarDecl>(K.D);
    };
    auto Count = [&](const State &X) {
      size_t N = 0;
      for (auto &P : X.Known)
        N += Param(P.first);
      for (auto &P : X.Exact)
        N += Param(P.first);
      return N;
    };
    if (Count(*this) != Count(O))
      return false;
    for (auto &P : Known)
      if (Param(P.first) && O.known(P.first) != P.second)
        return false;
    for (auto &P : Exact)
      if (Param(P.first)) {
        const int64_t *OE = O.exact(P.first);
        if (!OE || *OE != P.second)
          return false;
      }
    return true;
  }
  /// Joins O into this state, which holds the same locks: knowledge that
  /// differs is dropped.  Returns true if this state changed.
  bool joinKnowledge(const State &O) {
    bool Changed = (Assigned | O.Assigned) != Assigned;
    Assigned |= O.Assigned;
    for (auto &F : Held)
      for (auto &G : O.Held)
        if (F.sameLock(G) && F.Obj && F.Obj != G.Obj) {
          F.Obj = nullptr;
          Changed = true;
        }
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
    for (size_t I = 0; I < Unequal.size();) {
      if (!O.unequal(Unequal[I].first, Unequal[I].second)) {
        Unequal.erase(Unequal.begin() + I);
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
inline void intersectInto(State &A, const State &B) {
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

inline constexpr size_t MaxStates = 8;

/// Joins two states of SS that hold the same locks, if any do: a free
/// slot.
inline void joinSameLocks(std::vector<State> &SS) {
  for (size_t I = 0; I < SS.size(); ++I)
    for (size_t J = I + 1; J < SS.size(); ++J)
      if (SS[I].sameLocks(SS[J])) {
        SS[I].joinKnowledge(SS[J]);
        SS.erase(SS.begin() + J);
        return;
      }
}
inline constexpr unsigned MaxDepth = 48;

/// Adds S to the set of states SS.  Returns true if SS changed.  States
/// holding the same locks are joined, unless they assume different things
/// of the parameters (`if (drain && ...) slab_to_put = old;` then `if
/// (slab_to_put) __put_partials()`): those stay apart while there is room,
/// so what each assumes reaches the records' `when` and the ways of
/// returning.  Past the bound they are joined first, and only then are
/// different locksets intersected.
inline bool addState(std::vector<State> &SS, State &&S) {
  State *Loose = nullptr;
  for (auto &T : SS)
    if (T.sameLocks(S)) {
      if (T.sameParams(S))
        return T.joinKnowledge(S);
      if (!Loose)
        Loose = &T;
    }
  if (SS.size() >= MaxStates && Loose)
    return Loose->joinKnowledge(S);
  if (SS.size() >= MaxStates)
    joinSameLocks(SS);
  if (SS.size() < MaxStates) {
    SS.push_back(std::move(S));
    return true;
  }
  State Old = SS.back();
  intersectInto(SS.back(), S);
  return !(SS.back().sameLocks(Old));
}

inline bool addState(std::vector<State> &SS, const State &S) {
  return addState(SS, State(S));
}

/// What a path assumed of a parameter: zero, nonzero, negative, or (Exact)
/// one value, as `if (!level) return` or `case VCPU_EXREG_PDPTR:` teach.
struct Cond {
  int Param = -1;
  Val Is = Val::Unknown;
  bool IsExact = false;
  /// `flags & N` nonzero (1) or zero (-1).
  int Bits = 0;
  int64_t N = 0;
  bool operator==(const Cond &O) const {
    return Param == O.Param && Is == O.Is && IsExact == O.IsExact &&
           Bits == O.Bits && N == O.N;
  }
};

/// The core's numbering of a lock (struct lo_lockref) and back.
inline lo_lockref toRef(const LockRef &L) {
  return {L.Class, L.Param, L.Deref ? 1 : 0};
}
inline LockRef fromRef(const lo_lockref &R) {
  LockRef L;
  L.Class = R.cls;
  L.Param = R.param;
  L.Deref = R.deref != 0;
  return L;
}
inline lo_retval toRet(Val V) {
  switch (V) {
  case Val::Zero:
    return LO_RET_ZERO;
  case Val::NonZero:
    return LO_RET_NONZERO;
  case Val::Negative:
    return LO_RET_NEGATIVE;
  default:
    return LO_RET_UNKNOWN;
  }
}
inline Val fromRet(lo_retval R) {
  switch (R) {
  case LO_RET_ZERO:
    return Val::Zero;
  case LO_RET_NONZERO:
    return Val::NonZero;
  case LO_RET_NEGATIVE:
    return Val::Negative;
  default:
    return Val::Unknown;
  }
}


/// What one function does to its caller's lockset, per way of returning:
/// the front end's own view of a callee, used to walk on past a call.
struct FunctionSummary {
  /// Its ways of returning, joined by the core (lo_returns).
  std::unique_ptr<lo_returns, void (*)(lo_returns *)> Ways{lo_returns_new(),
                                                           lo_returns_free};
  /// The lock the function returns a pointer to, if every return agrees.
  LockRef Returns;
  bool ReturnsConflict = false;
  /// Releases whose lock could not be told (guard destructors).
  unsigned UnresolvedReleases = 0;
  /// Parameters (bit K: parameter K < 64) every way of returning knows
  /// are not NULL: the function took a lock through them (task_lock(p)).
  uint64_t NonNullParams = 0;
  /// Per way of returning (same index as Ways), its outcomes: one per value
  /// it returns (State::Ret), with what every path to it knows of the
  /// parameters and of terms read through them (Knowledge.cpp); empty when
  /// the ways could not be told apart.
  std::vector<std::vector<State>> WayFacts;
  /// The fields it, or a callee it follows, assigns or takes the address
  /// of: a caller forgets what it knew of them at the call.
  llvm::SmallPtrSet<const void *, 4> Writes;
};

} // namespace lockorder

#endif
