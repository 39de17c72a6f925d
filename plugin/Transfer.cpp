//===- Transfer.cpp - what statements do to the state --------------------===//
//
// The transfer functions: what a statement, a call, a rules function's
// effects and a callee's ways of returning do to a path's state; what a
// condition teaches on each edge (trylock and interruptible results, flags
// tested twice, switch cases); and what a lockdep assertion asserts.
//
// What it does not do: check anything.  Each acquisition, call and store
// is reported (Observations.cpp) with the state it was seen in; the C core
// follows and checks them.
//
//===----------------------------------------------------------------------===//

#include "FunctionAnalysis.h"

#include "clang/AST/Attr.h"
#include "clang/AST/Expr.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace lockorder {

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
        if (I >= 0 && !reassigned(PV)) {
          Cond C;
          C.Param = I;
          C.IsExact = true;
          C.N = P.second;
          Add(C);
        }
      }
  bitConds(St, Add);
  for (const auto &P : St.Known)
    if (!P.first.second && P.first.D && P.second != Val::Unknown)
      if (const auto *PV = dyn_cast<ParmVarDecl>(P.first.D)) {
        int I = paramIndex(PV);
        if (I >= 0 && !reassigned(PV)) {
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

/// A lock taken through a pointer (&p->lock, spinlock_check(&p->lock))
/// says the pointer is not NULL on that path: the `if (n)
/// spin_unlock(&n->list_lock)` that follows takes its branch, and a
/// function returning p returns nonzero with the lock held
/// (find_lock_task_mm()).
/// Pointer P (a local or parameter) is not NULL from here on.
void FunctionAnalysis::nonNull(const Expr *P, State &St) const {
  const auto *DR = dyn_cast<DeclRefExpr>(P->IgnoreParenCasts());
  if (const auto *VD = DR ? dyn_cast<VarDecl>(DR->getDecl()) : nullptr)
    if (VD->hasLocalStorage() && VD->getType()->isPointerType())
      St.setKnown(VD, Val::NonZero);
}

void FunctionAnalysis::lockedThrough(const Expr *LockArg, State &St) const {
  const Expr *E = LockArg;
  for (unsigned I = 0; E && I < 16; ++I) {
    E = E->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_AddrOf)
        return;
      E = UO->getSubExpr();
    } else if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (!ME->isArrow()) {
        E = ME->getBase();
        continue;
      }
      nonNull(ME->getBase(), St);
      return;
    } else if (const auto *CE = dyn_cast<CallExpr>(E)) {
      // a helper handing back the lock of its argument (spinlock_check)
      if (CE->getNumArgs() != 1 || !CE->getArg(0)->getType()->isPointerType())
        return;
      E = CE->getArg(0);
    } else {
      return;
    }
  }
}

void FunctionAnalysis::applyRulesFunction(const lo_function *F, const Args &As,
                                          SourceLocation Loc,
                                          const Expr *CallE, State St,
                                          std::vector<State> &Out) {
  std::vector<State> Cur{St};
  for (size_t EI = 0; EI < F->neffects; ++EI) {
    const lo_effect &E = F->effects[EI];
    LockRef L;
    const char *Obj = nullptr;
    if (E.param >= 0) {
      L = argPtr(As, E.param);
      Obj = objOfArg(As, E.param);
    } else if (E.lock >= 0) {
      Obj = objOfDecl(E.lock);
      const lo_lock *DL = lo_rules_lock(A.Rules, E.lock);
      int Id = A.Classes.lookup(DL->name);
      if (Id < 0) {
        Id = A.Classes.intern(DL->name, DL->name, DL->kind);
        A.Classes.declare(DL->name, A.Rules, E.lock);
      }
      L.Class = Id;
    }
    if (!Obj && L.Class >= 0) {
      auto It = A.GlobalObjs.find(L.Class);
      if (It != A.GlobalObjs.end())
        Obj = It->second;
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
    // Under a nest lock lockdep takes any number of the class: which one
    // this is cannot be told, as with a subclass we cannot read.
    if (E.nest_param >= 0)
      Subclass = -1;
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
                  E.op == LO_ACQUIRE && E.trylock, Loc, Obj);
      switch (E.op) {
      case LO_ACQUIRE: {
        Fact Fa{L, static_cast<bool>(E.shared), Subclass, false, fileLoc(Loc),
                Obj};
        const Expr *Arg = As.Call && E.param >= 0 &&
                                  static_cast<unsigned>(E.param) <
                                      As.Call->getNumArgs()
                              ? As.Call->getArg(E.param)
                              : nullptr;
        if (E.cond == LO_ALWAYS) {
          if (S.find(L) < 0)
            S.Held.push_back(Fa);
          lockedThrough(Arg, S);
          Next.push_back(S);
          break;
        }
        // The lock is taken only on the success path; the result tells.
        State Ok = S, Fail = S;
        if (Ok.find(L) < 0)
          Ok.Held.push_back(Fa);
        lockedThrough(Arg, Ok);
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
      case LO_KEY:
        if (As.Call && E.key_param >= 0 &&
            static_cast<unsigned>(E.key_param) < As.Call->getNumArgs())
          recordKey(L, As.Call->getArg(E.key_param));
        Next.push_back(S);
        break;
      case LO_ASSERT:
        if (!assertsHere(Loc)) {
          Next.push_back(S);
          break;
        }
        if (S.find(L) < 0)
          S.Held.push_back({L, static_cast<bool>(E.shared), 0, true,
                            fileLoc(Loc), Obj});
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
  size_t NWays = lo_returns_count(CS.Ways.get());
  if (!NWays) {
    // Never returns (or recursion cut it short): nothing held after.
    Out.push_back(St);
    return;
  }
  for (size_t W = 0; W < NWays; ++W) {
    const lo_return *O = lo_returns_get(CS.Ways.get(), W);
    State S = St;
    for (size_t I = 0; I < O->nreleases; ++I) {
      LockRef L = subst(fromRef(O->releases[I]), As);
      if (L.valid())
        release(S, L);
    }
    for (size_t I = 0; I < O->nholds; ++I) {
      const lo_rhold &H = O->holds[I];
      LockRef P = fromRef(H.lock);
      LockRef L = subst(P, As);
      if (!L.valid())
        continue;
      if (As.Call && P.Param >= 0 && !P.Deref &&
          static_cast<unsigned>(P.Param) < As.Call->getNumArgs())
        lockedThrough(As.Call->getArg(P.Param), S);
      if (S.find(L) >= 0)
        continue;
      // The object: the argument itself when the callee held the lock
      // its parameter points to, a global lock variable by itself.
      const char *Obj = P.Param >= 0 && !P.Deref ? objOfArg(As, P.Param)
                                                 : objThrough(H.obj, As);
      if (!Obj && L.Class >= 0) {
        auto It = A.GlobalObjs.find(L.Class);
        if (It != A.GlobalObjs.end())
          Obj = It->second;
      }
      S.Held.push_back({L, H.shared != 0, H.subclass, false, fileLoc(Loc),
                        Obj});
    }
    // What the way returns, when it tells: for one way too (an inline
    // returning IS_ENABLED(CONFIG_...) && ..., debug_pagealloc_enabled()).
    for (unsigned K = 0; As.Call && K < As.Call->getNumArgs() && K < 64; ++K)
      if (CS.NonNullParams & (uint64_t(1) << K))
        nonNull(As.Call->getArg(K), S);
    if (CallE && (NWays > 1 || fromRet(O->ret) != Val::Unknown))
      S.setKnown(CallE, fromRet(O->ret));
    // What the way tells of the arguments and its outcomes; a way the
    // arguments contradict is not taken (Knowledge.cpp).
    applyWayFacts(CS, W, As, CallE, std::move(S), Out);
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
    // static_call(name)(...) casts the trampoline: still a direct call.
    const FunctionDecl *Fn = CE->getDirectCallee();
    if (!Fn)
      Fn = functionAddress(CE->getCallee());
    if (Fn) {
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
    if (BO->isAssignmentOp())
      assignTerm(BO, St);
    if (BO->isAssignmentOp() &&
        !isa<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
      forgetLoadedObjects(St);
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
        St.noteAssigned(DR->getDecl());
        Val V = BO->isCompoundAssignmentOp() ? Val::Unknown
                                             : eval(BO->getRHS(), St);
        St.forgetVar(DR->getDecl());
        St.setKnown(DR->getDecl(), V);
        const auto *VD = dyn_cast<VarDecl>(DR->getDecl());
        if (VD && VD->hasLocalStorage() && mayPointToLock(VD->getType()) &&
            !BO->isCompoundAssignmentOp()) {
          Cur = &St;
          LockRef R = resolvePtr(BO->getRHS());
          Cur = nullptr;
          St.setPtr(VD, R);
        }
      }
  } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    if (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf) {
      forgetWrites(UO->getSubExpr(), St);
      if (const auto *DR =
              dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts())) {
        St.forgetVar(DR->getDecl());
        St.noteAssigned(DR->getDecl());
      }
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
            mayPointToLock(VD->getType())) {
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
      if (mayPointToLock(RV->getType())) {
        LockRef R = resolvePtr(RV);
        if (!R.valid() || (Sum.Returns.valid() && !(Sum.Returns == R)))
          Sum.ReturnsConflict = true;
        else
          Sum.Returns = R;
      }
    }
  }
  // The caller is done with St (its block's states are replaced).
  Out.push_back(std::move(St));
}

/// The value of a GNU statement expression is its last expression's:
/// ({ bool l = raw_spin_trylock(&p->lock); if (l) ...; l; }) is l.
static const Expr *valueOf(const Expr *E) {
  E = E->IgnoreParenCasts();
  for (unsigned I = 0; I < 8; ++I) {
    const auto *SE = dyn_cast<StmtExpr>(E);
    if (!SE || SE->getSubStmt()->body_empty())
      break;
    const auto *Last = dyn_cast<Expr>(SE->getSubStmt()->body_back());
    if (!Last)
      break;
    E = Last->IgnoreParenCasts();
  }
  return E;
}

Val FunctionAnalysis::eval(const Expr *E, const State &St) const {
  if (!E)
    return Val::Unknown;
  E = valueOf(E);
  // fields, flags, comparisons and pure calls tested before (Knowledge.cpp)
  Val KV = evalKnown(E, St);
  if (KV != Val::Unknown)
    return KV;
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
  // spin_trylock_irqsave(): ({ ...; trylock(l) ? 1 : ({ ...; 0; }); })
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    int C = truth(eval(CO->getCond(), St));
    if (C == 1)
      return eval(CO->getTrueExpr(), St);
    if (C == 0)
      return eval(CO->getFalseExpr(), St);
    Val T = eval(CO->getTrueExpr(), St), F = eval(CO->getFalseExpr(), St);
    return T == F ? T : Val::Unknown;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_LNot)
      return negate(eval(UO->getSubExpr(), St));
    // the address of an object is never NULL
    if (UO->getOpcode() == UO_AddrOf)
      return Val::NonZero;
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
  const Expr *E = valueOf(Cond);
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
        E = valueOf(UO->getSubExpr());
        continue;
      }
    if (refineKnown(E, Branch, St))
      return;
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
  ValKey Key = keyOf(E);
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
    Next.reserve(States.size() + 1);
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
          for (size_t W = 0; W < lo_returns_count(FS->Ways.get()); ++W)
            Unresolved += lo_returns_get(FS->Ways.get(), W)->nreleases;
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
      continue; // nothing this walk follows: the states are unchanged
    }
    // Bound the states within a block too.
    if (Next.size() <= 1) {
      States = std::move(Next);
      continue;
    }
    std::vector<State> Joined;
    Joined.reserve(Next.size());
    for (State &S : Next)
      addState(Joined, std::move(S));
    States = std::move(Joined);
  }
}


} // namespace lockorder
