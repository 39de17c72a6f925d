//===- LockNames.cpp - naming locks --------------------------------------===//
//
// Which lock an expression names: through &, casts, local pointers (on the
// path being followed, or assigned once), statement expressions, guard
// structs initialised with { .lock = l }, the inner fields the lock API
// wraps (rlock, dep_map, raw_lock), a callee returning a pointer to the
// lock its caller passed (spinlock_check()), and a parameter's lock.
//
// What it does not do: decide what taking the lock means.  A lock whose
// identity cannot be told is none (the caller skips it, with a remark in
// verbose mode): we prefer missing a report to a false one.
//
//===----------------------------------------------------------------------===//

#include "FunctionAnalysis.h"

#include "clang/AST/Expr.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace lockorder {

int FunctionAnalysis::paramIndex(const ParmVarDecl *P) const {
  for (unsigned I = 0; I < FD->getNumParams(); ++I)
    if (FD->getParamDecl(I) == P)
      return static_cast<int>(I);
  return -1;
}

/// Every statement of the function is an element of its CFG (the walk
/// builds it with every statement added), so one flat pass over the
/// elements sees every assignment, without recursing into the AST.
void FunctionAnalysis::collectAliases(const CFG &G) {
  for (const CFGBlock *B : G)
    for (const CFGElement &E : *B)
      if (auto CS = E.getAs<CFGStmt>())
        noteAssignment(CS->getStmt());
}

/// What statement S assigns to a local: its first value, or that it is
/// assigned more than once.
void FunctionAnalysis::noteAssignment(const Stmt *S) {
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (VD->hasLocalStorage() && VD->getInit()) {
          // the CFG's order is not the source's: an assignment may have
          // been seen first
          if (AliasMap.count(VD))
            ReassignedSet.insert(VD);
          AliasMap[VD] = VD->getInit();
        }
  } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->isAssignmentOp())
      if (const auto *DR =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl())) {
          if (!BO->isCompoundAssignmentOp() && !AliasMap.count(VD) &&
              !isa<ParmVarDecl>(VD))
            AliasMap[VD] = BO->getRHS();
          else
            ReassignedSet.insert(VD);
        }
  } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    if (UO->isIncrementDecrementOp())
      if (const auto *DR =
              dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts()))
        if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl()))
          ReassignedSet.insert(VD);
  }
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
  // A macro's parenthesised argument: &(p)->lock is p->lock.
  for (size_t I = Out.find('('); I != std::string::npos;
       I = Out.find('(', I + 1)) {
    size_t J = I + 1;
    while (J < Out.size() && (isalnum((unsigned char)Out[J]) || Out[J] == '_'))
      ++J;
    if (J > I + 1 && J < Out.size() && Out[J] == ')' &&
        (I == 0 || !(isalnum((unsigned char)Out[I - 1]) || Out[I - 1] == '_'))) {
      Out.erase(J, 1);
      Out.erase(I, 1);
    }
  }
  while (!Out.empty() && (Out[0] == '&' || Out[0] == '('))
    Out.erase(0, 1);
  while (!Out.empty() && Out.back() == ')' &&
         std::count(Out.begin(), Out.end(), '(') <
             std::count(Out.begin(), Out.end(), ')'))
    Out.pop_back();
  // What is left unbalanced is no name to show.
  if (std::count(Out.begin(), Out.end(), '(') !=
      std::count(Out.begin(), Out.end(), ')'))
    return "";
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
      // one lock variable is one object, however it is reached
      if (!VD->getType()->isArrayType())
        A.GlobalObjs.try_emplace(R.Class, A.internObj("&" + globalPath(VD)));
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
    if (reassigned(VD))
      return {};
    if (const auto *P = dyn_cast<ParmVarDecl>(VD)) {
      LockRef R;
      R.Param = paramIndex(P);
      return R;
    }
    auto It = aliases().find(VD);
    if (It != aliases().end() && AliasDepth < 8) {
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
          auto It = aliases().find(VD);
          if (It != aliases().end() && !reassigned(VD))
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
    if (!Field || !Var || !Var->hasLocalStorage() || reassigned(Var))
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
      if (!reassigned(P)) {
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
  if (reassigned(As.CleanupVar))
    return {};
  auto It = aliases().find(As.CleanupVar);
  if (It == aliases().end())
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

} // namespace lockorder
