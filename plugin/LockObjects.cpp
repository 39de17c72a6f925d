//===- LockObjects.cpp - which lock object an expression names -----------===//
//
// A lock's class says which locks lockdep may confuse; its object says
// which lock it is.  Two acquisitions of one class are recursive locking
// for certain only when they take the very same object (mutex_lock(&x->m)
// twice), whatever the class's keys.  The object is written as a path
// from the function's parameters and globals (core/objpath.c): "$K" is
// parameter K while it is not assigned, "@G" the global G; "&$0->mutex"
// the address of the mutex of what parameter 0 points to.  Through a call,
// the callee's "$K" becomes the caller's argument (lo_obj_subst()).
//
// What it does not do: tell that two paths are two objects (two pointers
// may point to one), or follow a local pointer assigned more than once, an
// array indexed by a variable, or a pointer read from a global variable:
// those are no path, and prove nothing.
//
//===----------------------------------------------------------------------===//

#include "FunctionAnalysis.h"

#include "clang/AST/Expr.h"

#include <cstdlib>

using namespace clang;

namespace lockorder {

/// The lvalue that pointer path P points to: *&X is X.
static std::string derefPath(const std::string &P) {
  if (P.empty())
    return "";
  if (P[0] == '&')
    return P.substr(1);
  return "*" + P;
}

std::string FunctionAnalysis::objPtr(const Expr *E, unsigned Depth) {
  if (!E || Depth > 8)
    return "";
  E = E->IgnoreParenCasts();
  if (const auto *SE = dyn_cast<StmtExpr>(E)) {
    const CompoundStmt *CS = SE->getSubStmt();
    if (CS && !CS->body_empty())
      if (const auto *Last = dyn_cast<Expr>(CS->body_back()))
        return objPtr(Last, Depth + 1);
    return "";
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_AddrOf) {
      std::string L = objLv(UO->getSubExpr(), Depth + 1);
      if (L.empty())
        return "";
      return L[0] == '*' ? L.substr(1) : "&" + L;
    }
    if (UO->getOpcode() == UO_Deref)
      return objLv(E, Depth + 1);
    return "";
  }
  if (const auto *DR = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DR->getDecl());
    // An array decays to its first element; a global pointer may change.
    if (!VD || VD->getType()->isArrayType() || !VD->hasLocalStorage())
      return "";
    if (reassigned(VD) || (Cur && Cur->ptr(VD)))
      return "";
    if (const auto *P = dyn_cast<ParmVarDecl>(VD))
      return "$" + std::to_string(paramIndex(P));
    auto It = aliases().find(VD);
    if (It != aliases().end())
      return objPtr(It->second, Depth + 1);
    return "";
  }
  // A pointer read from a field or an element is written as that lvalue.
  if (isa<MemberExpr>(E) || isa<ArraySubscriptExpr>(E))
    return objLv(E, Depth + 1);
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    // spinlock_check(lock): a callee returning the pointer it was passed.
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee ||
        lo_rules_find_function(A.Rules, Callee->getName().str().c_str()))
      return "";
    const FunctionSummary *CS = A.summaryFor(Callee);
    if (!CS || CS->ReturnsConflict || CS->Returns.Class >= 0 ||
        CS->Returns.Param < 0 || CS->Returns.Deref ||
        static_cast<unsigned>(CS->Returns.Param) >= CE->getNumArgs())
      return "";
    return objPtr(CE->getArg(CS->Returns.Param), Depth + 1);
  }
  return "";
}

std::string FunctionAnalysis::objLv(const Expr *E, unsigned Depth) {
  if (!E || Depth > 8)
    return "";
  E = E->IgnoreParenCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const Expr *Base = ME->getBase();
    QualType BT = Base->getType();
    if (ME->isArrow() && BT->isPointerType())
      BT = BT->getPointeeType();
    // &l->rlock, &l->dep_map: the lock is l itself, as in resolveObj().
    if (insideLockType(BT))
      return ME->isArrow() ? derefPath(objPtr(Base, Depth + 1))
                           : objLv(Base, Depth + 1);
    std::string F = ME->getMemberDecl()->getName().str();
    std::string L = ME->isArrow() ? derefPath(objPtr(Base, Depth + 1))
                                  : objLv(Base, Depth + 1);
    if (L.empty())
      return "";
    // An anonymous struct or union member is part of the one around it.
    if (F.empty())
      return L;
    if (L[0] == '*')
      return L.substr(1) + "->" + F;
    return L + "." + F;
  }
  if (const auto *DR = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DR->getDecl());
    if (!VD || !VD->hasGlobalStorage())
      return "";
    return globalPath(VD);
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_Deref)
      return derefPath(objPtr(UO->getSubExpr(), Depth + 1));
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
    const Expr *Idx = AS->getIdx()->IgnoreParenImpCasts();
    Expr::EvalResult R;
    if (Idx->isValueDependent() || !looksConstant(Idx) ||
        !Idx->EvaluateAsInt(R, A.Ctx, Expr::SE_NoSideEffects))
      return "";
    const Expr *Base = AS->getBase()->IgnoreParenImpCasts();
    std::string B = Base->getType()->isArrayType() ? objLv(Base, Depth + 1)
                                                   : objPtr(Base, Depth + 1);
    if (B.empty())
      return "";
    return B + "[" + std::to_string(R.Val.getInt().getExtValue()) + "]";
  }
  return "";
}

/// "@G", qualified by the function (a static local) and the file (internal
/// linkage) where G is known by its name only there.
std::string FunctionAnalysis::globalPath(const VarDecl *VD) const {
  std::string N = "@" + VD->getName().str();
  if (VD->isStaticLocal())
    N += "@" + FD->getName().str();
  if (!VD->isExternallyVisible())
    N += "@" + A.Source;
  return N;
}

/// A store to memory (rq->engine = &ve->base in i915's
/// resubmit_virtual_request()) may change what a path loads on the way to
/// its lock: a held lock whose path reads memory no longer says which
/// object a second acquisition of the same path takes.  "&$0->lock" reads
/// none; "&$0->engine->sched_engine->lock" reads two pointers.
void FunctionAnalysis::forgetLoadedObjects(State &St) const {
  for (Fact &F : St.Held) {
    if (!F.Obj)
      continue;
    llvm::StringRef P(F.Obj);
    P.consume_front("&");
    size_t Last = P.find_last_of(".>");
    llvm::StringRef Base = Last == llvm::StringRef::npos ? P : P.take_front(Last);
    if (Base.contains("->") || Base.contains('*') || Base.contains('['))
      F.Obj = nullptr;
  }
}

const char *FunctionAnalysis::objOfArg(const Args &As, unsigned I) {
  if (!As.Call || I >= As.Call->getNumArgs())
    return nullptr;
  return A.internObj(objPtr(As.Call->getArg(I)));
}

/// A lock the rules name by itself (cpus_read_lock, kvm_lock) is one
/// object.
const char *FunctionAnalysis::objOfDecl(int Decl) {
  const lo_lock *DL = lo_rules_lock(A.Rules, Decl);
  return DL ? A.internObj(std::string("&@") + DL->name) : nullptr;
}

const char *FunctionAnalysis::objThrough(const char *Obj, const Args &As) {
  if (!Obj)
    return nullptr;
  std::vector<std::string> Paths;
  std::vector<const char *> Ptrs;
  unsigned N = As.Call ? As.Call->getNumArgs() : 0;
  Paths.reserve(N);
  for (unsigned I = 0; I < N; ++I)
    Paths.push_back(objPtr(As.Call->getArg(I)));
  for (const std::string &P : Paths)
    Ptrs.push_back(P.empty() ? nullptr : P.c_str());
  char *S = lo_obj_subst(Obj, Ptrs.data(), Ptrs.size());
  if (!S)
    return nullptr;
  const char *R = A.internObj(S);
  std::free(S);
  return R;
}

} // namespace lockorder
