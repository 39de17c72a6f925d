//===- Knowledge.cpp - what paths know of fields, flags and pure calls ----===//
//
// The same condition tested at the lock and at the unlock: cpc_write()
// takes rmw_lock `if (reg->space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY)` and
// releases it under the same test; hub_port_reset() does the same with
// `!hub_is_superspeed(hub->hdev)`.  A branch taken teaches the path the
// value of what it tested (Terms, Knowledge.h): zero or nonzero, one value
// (`== C`), or not one value (`!= C`, the else of `== C`), so the second
// test goes the same way.
//
// Across calls, per way of returning: what every path to it knows of the
// callee's parameters and of terms read through them (__io_cq_lock() holds
// completion_lock only when !ctx->lockless_cq; __wait_on_freeing_inode()
// retakes inode_hash_lock only when is_inode_hash_locked).  At a call the
// facts are put in the caller's terms: a way an argument contradicts is
// not taken, the others teach the caller's path.
//
// What it does not do: follow a value through memory it cannot name
// (`*p`, array elements), or relate two different terms (lockless_cq is
// set whenever task_complete is: io_uring_create()).  A call is pure when
// its body, and its callees' bodies, assign only their own locals: its
// result on the same arguments is then kept like a field's.
//
//===----------------------------------------------------------------------===//

#include "FunctionAnalysis.h"

#include "clang/AST/Attr.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"

#include <functional>

using namespace clang;

namespace lockorder {

const Term *TermTable::get(Term::KindT K, const Decl *D, int64_t N,
                           llvm::ArrayRef<const Term *> Ops) {
  auto Key = std::make_tuple(static_cast<int>(K), static_cast<const void *>(D),
                             N, std::vector<const Term *>(Ops.begin(), Ops.end()));
  auto &Slot = Terms[Key];
  if (!Slot) {
    Slot = std::make_unique<Term>();
    Slot->Kind = K;
    Slot->D = D;
    Slot->N = N;
    Slot->Ops.assign(Ops.begin(), Ops.end());
    if (K == Term::Var || K == Term::Field)
      Slot->Reads.push_back(D);
    for (const Term *O : Ops)
      for (const void *R : O->Reads)
        if (!Slot->reads(R))
          Slot->Reads.push_back(R);
  }
  return Slot.get();
}

//===-- which calls are pure -----------------------------------------------===//

/// Builtins that only compute a value from their operands.
static bool pureBuiltin(llvm::StringRef Name) {
  Name.consume_front("__builtin_");
  for (llvm::StringRef P :
       {"expect", "constant_p", "unreachable", "assume", "clz", "ctz", "ffs",
        "popcount", "parity", "bswap", "object_size", "dynamic_object_size"})
    if (Name.starts_with(P))
      return true;
  return false;
}

/// Whether S, in a function's body, writes nothing but that function's
/// own locals and calls only pure functions.
static bool pureStmt(const Stmt *S,
                     const ASTContext &Ctx,
                     const std::function<bool(const FunctionDecl *)> &Pure) {
  if (!S)
    return true;
  auto Local = [](const Expr *E) {
    const auto *DR = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    const auto *VD = DR ? dyn_cast<VarDecl>(DR->getDecl()) : nullptr;
    return VD && VD->hasLocalStorage();
  };
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->isAssignmentOp() && !Local(BO->getLHS()))
      return false;
  } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    if (UO->isIncrementDecrementOp() && !Local(UO->getSubExpr()))
      return false;
  } else if (const auto *CE = dyn_cast<CallExpr>(S)) {
    const FunctionDecl *F = CE->getDirectCallee();
    if (!F)
      return false;
    if (unsigned ID = F->getBuiltinID()) {
      if (!pureBuiltin(Ctx.BuiltinInfo.getName(ID)))
        return false;
    } else if (!Pure(F)) {
      return false;
    }
  } else if (const auto *AS = dyn_cast<GCCAsmStmt>(S)) {
    // `bt %2,%1` into a local flag reads; an asm writing memory does not
    for (unsigned I = 0; I < AS->getNumOutputs(); ++I)
      if (!Local(AS->getOutputExpr(I)))
        return false;
  } else if (isa<MSAsmStmt>(S) || isa<CXXThrowExpr>(S)) {
    return false;
  }
  for (const Stmt *C : S->children())
    if (!pureStmt(C, Ctx, Pure))
      return false;
  return true;
}

bool FunctionAnalysis::pure(const FunctionDecl *F) const {
  if (F->hasAttr<ConstAttr>() || F->hasAttr<PureAttr>())
    return true;
  const FunctionDecl *Def = F->getDefinition();
  if (!Def || !Def->hasBody())
    return false;
  auto It = A.Terms.Pure.find(Def);
  if (It != A.Terms.Pure.end())
    return It->second == 1; // -1: a recursion, not pure
  A.Terms.Pure[Def] = -1;
  bool P = pureStmt(Def->getBody(), A.Ctx,
                    [this](const FunctionDecl *G) { return pure(G); });
  A.Terms.Pure[Def] = P ? 1 : 0;
  return P;
}

//===-- terms --------------------------------------------------------------===//

const Term *FunctionAnalysis::termOf(const Expr *E, unsigned Depth) const {
  if (!E || Depth > 8)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (looksConstant(E)) {
    Expr::EvalResult R;
    if (!E->isValueDependent() && E->EvaluateAsInt(R, A.Ctx))
      return A.Terms.get(Term::Const, nullptr,
                         R.Val.getInt().getExtValue(), {});
    return nullptr;
  }
  if (const auto *DR = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DR->getDecl());
    if (VD && VD->hasLocalStorage())
      return A.Terms.get(Term::Var, VD, 0, {});
    return nullptr;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *FDl = dyn_cast<FieldDecl>(ME->getMemberDecl());
    const Term *Base = FDl ? termOf(ME->getBase(), Depth + 1) : nullptr;
    if (!Base || Base->Kind == Term::Const)
      return nullptr;
    return A.Terms.get(Term::Field, FDl, 0, {Base});
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    // *seq, read_seqbegin_or_lock()'s int *seq
    if (UO->getOpcode() != UO_Deref)
      return nullptr;
    const Term *P = termOf(UO->getSubExpr(), Depth + 1);
    if (!P || P->Kind != Term::Var)
      return nullptr;
    return A.Terms.get(Term::Deref, nullptr, 0, {P});
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->getOpcode() == BO_And) {
      const Term *L = termOf(BO->getLHS(), Depth + 1);
      const Term *R = termOf(BO->getRHS(), Depth + 1);
      if (L && R && R->Kind == Term::Const && L->Kind != Term::Const)
        return A.Terms.get(Term::Bits, nullptr, R->N, {L});
      if (L && R && L->Kind == Term::Const && R->Kind != Term::Const)
        return A.Terms.get(Term::Bits, nullptr, L->N, {R});
    }
    return nullptr;
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    if (CE->getBuiltinCallee() == Builtin::BI__builtin_expect &&
        CE->getNumArgs() >= 1)
      return termOf(CE->getArg(0), Depth + 1);
    const FunctionDecl *F = CE->getDirectCallee();
    if (!F || F->getBuiltinID() || !pure(F))
      return nullptr;
    llvm::SmallVector<const Term *, 4> Ops;
    for (const Expr *Arg : CE->arguments()) {
      const Term *T = termOf(Arg, Depth + 1);
      if (!T)
        return nullptr;
      Ops.push_back(T);
    }
    return A.Terms.get(Term::Call, F->getCanonicalDecl(), 0, Ops);
  }
  return nullptr;
}

/// A comparison of two terms as one term: a < b is Less(a, b), a > b is
/// Less(b, a), a <= b is !Less(b, a), a >= b is !Less(a, b), a == b is
/// Same(a, b) and a != b is !Same(a, b).
const Term *FunctionAnalysis::compareTerm(const BinaryOperator *BO,
                                          bool &Negated) const {
  if (!BO->isComparisonOp())
    return nullptr;
  const Term *L = termOf(BO->getLHS()), *R = termOf(BO->getRHS());
  if (!L || !R || (L->Kind == Term::Const && R->Kind == Term::Const))
    return nullptr;
  Negated = false;
  switch (BO->getOpcode()) {
  case BO_NE:
    Negated = true;
    [[fallthrough]];
  case BO_EQ:
    if (std::less<const Term *>()(R, L))
      std::swap(L, R);
    return A.Terms.get(Term::Same, nullptr, 0, {L, R});
  case BO_LT:
    return A.Terms.get(Term::Less, nullptr, 0, {L, R});
  case BO_GT:
    return A.Terms.get(Term::Less, nullptr, 0, {R, L});
  case BO_LE:
    Negated = true;
    return A.Terms.get(Term::Less, nullptr, 0, {R, L});
  case BO_GE:
    Negated = true;
    return A.Terms.get(Term::Less, nullptr, 0, {L, R});
  default:
    return nullptr;
  }
}

/// The key a term's value is known by; a variable, or a field of a local
/// struct, keeps its older key (LockState.h valKey()).
static ValKey keyOfTerm(const Term *T) {
  if (T->Kind == Term::Var)
    return ValKey(T->D);
  if (T->Kind == Term::Field && T->Ops[0]->Kind == Term::Var &&
      !cast<VarDecl>(T->Ops[0]->D)->getType()->isPointerType())
    return ValKey(T->Ops[0]->D, T->D);
  return ValKey(T);
}

ValKey FunctionAnalysis::keyOf(const Expr *E) const {
  ValKey K = valKey(E);
  if (K.first && !isa<CallExpr>(E->IgnoreParenImpCasts()))
    return K;
  const Term *T = termOf(E);
  if (T && T->Kind != Term::Const)
    return keyOfTerm(T);
  return K;
}

/// The constant side of comparison BO, with the other side and the
/// operator as if the constant were on the right.
static bool constantSide(const FunctionAnalysis &FA, const BinaryOperator *BO,
                         const Term *L, const Term *R, int64_t &C,
                         const Expr *&Other, BinaryOperatorKind &Op) {
  Op = BO->getOpcode();
  if (R && R->Kind == Term::Const && !(L && L->Kind == Term::Const)) {
    C = R->N;
    Other = BO->getLHS();
    return true;
  }
  if (L && L->Kind == Term::Const && !(R && R->Kind == Term::Const)) {
    C = L->N;
    Other = BO->getRHS();
    if (Op == BO_LT)
      Op = BO_GT;
    else if (Op == BO_GT)
      Op = BO_LT;
    else if (Op == BO_LE)
      Op = BO_GE;
    else if (Op == BO_GE)
      Op = BO_LE;
    return true;
  }
  (void)FA;
  return false;
}

static Val truthVal(bool B) { return B ? Val::NonZero : Val::Zero; }

Val FunctionAnalysis::evalKnown(const Expr *E, const State &St) const {
  const auto *BO = dyn_cast<BinaryOperator>(E);
  if (BO && BO->isComparisonOp()) {
    const Term *L = termOf(BO->getLHS()), *R = termOf(BO->getRHS());
    int64_t C;
    const Expr *Other;
    BinaryOperatorKind Op;
    if (constantSide(*this, BO, L, R, C, Other, Op)) {
      ValKey K = keyOf(Other);
      if (!K.first)
        return Val::Unknown;
      if (const int64_t *X = St.exact(K)) {
        switch (Op) {
        case BO_EQ: return truthVal(*X == C);
        case BO_NE: return truthVal(*X != C);
        case BO_LT: return truthVal(*X < C);
        case BO_GT: return truthVal(*X > C);
        case BO_LE: return truthVal(*X <= C);
        case BO_GE: return truthVal(*X >= C);
        default: return Val::Unknown;
        }
      }
      if ((Op == BO_EQ || Op == BO_NE) && C != 0 &&
          (St.unequal(K, C) || St.known(K) == Val::Zero))
        return truthVal(Op == BO_NE);
    }
    bool Neg = false;
    if (const Term *T = compareTerm(BO, Neg)) {
      Val V = St.known(ValKey(T));
      return Neg ? negate(V) : V;
    }
    return Val::Unknown;
  }
  if (!BO && !isa<MemberExpr>(E) && !isa<CallExpr>(E))
    return Val::Unknown;
  if (BO && BO->getOpcode() != BO_And)
    return Val::Unknown;
  ValKey K = keyOf(E);
  if (!K.T)
    return Val::Unknown;
  if (const int64_t *X = St.exact(K))
    return *X == 0 ? Val::Zero : *X < 0 ? Val::Negative : Val::NonZero;
  Val V = St.known(K);
  // x & MASK is 0 when x is
  if (V == Val::Unknown && K.T->Kind == Term::Bits) {
    ValKey X = keyOfTerm(K.T->Ops[0]);
    if (St.known(X) == Val::Zero)
      return Val::Zero;
    if (const int64_t *N = St.exact(X))
      return truthVal((*N & K.T->N) != 0);
  }
  return V;
}

bool FunctionAnalysis::refineKnown(const Expr *E, bool Branch,
                                   State &St) const {
  const auto *BO = dyn_cast<BinaryOperator>(E);
  if (!BO)
    return false;
  if (BO->getOpcode() == BO_And) {
    const Term *T = termOf(BO);
    if (!T || T->Kind != Term::Bits)
      return false;
    St.setKnown(ValKey(T), truthVal(Branch));
    // a bit set says the flags are not 0 (io_ring_submit_lock()'s
    // issue_flags & IO_URING_F_UNLOCKED; a caller passing 0 never locks)
    if (Branch && T->N != 0) {
      const Term *X = T->Ops[0];
      ValKey XK = keyOfTerm(X);
      if (St.known(XK) == Val::Unknown && !St.exact(XK))
        St.setKnown(XK, Val::NonZero);
    }
    return true;
  }
  if (!BO->isComparisonOp())
    return false;
  const Term *L = termOf(BO->getLHS()), *R = termOf(BO->getRHS());
  int64_t C;
  const Expr *Other;
  BinaryOperatorKind Op;
  if (constantSide(*this, BO, L, R, C, Other, Op) &&
      (Op == BO_EQ || Op == BO_NE)) {
    if (C == 0)
      return false; // the zero tests: refine()
    ValKey K = keyOf(Other);
    if (!K.first)
      return true;
    if ((Op == BO_EQ) == Branch) {
      St.setExact(K, C);
      St.setKnown(K, C < 0 ? Val::Negative : Val::NonZero);
    } else {
      St.setUnequal(K, C);
    }
    return true;
  }
  bool Neg = false;
  const Term *T = compareTerm(BO, Neg);
  if (!T)
    return false;
  St.setKnown(ValKey(T), truthVal(Branch != Neg));
  return true;
}

void FunctionAnalysis::forgetWrites(const Expr *LHS, State &St) const {
  const Expr *E = LHS->IgnoreParenImpCasts();
  const void *What = nullptr;
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    What = ME->getMemberDecl();
  else if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    // *p = v: whatever p reaches
    if (UO->getOpcode() == UO_Deref)
      if (const Term *T = termOf(UO->getSubExpr()))
        for (const void *R : T->Reads)
          St.forgetIf([&](const ValKey &K) { return K.T && K.T->reads(R); });
    return;
  } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
    if (const Term *T = termOf(AS->getBase()))
      for (const void *R : T->Reads)
        St.forgetIf([&](const ValKey &K) { return K.T && K.T->reads(R); });
    return;
  }
  if (What) {
    St.forgetIf([&](const ValKey &K) { return K.T && K.T->reads(What); });
    Sum.Writes.insert(What);
  }
}

void FunctionAnalysis::assignTerm(const BinaryOperator *BO, State &St) const {
  forgetWrites(BO->getLHS(), St);
  if (BO->isCompoundAssignmentOp() ||
      !isa<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts()))
    return;
  const Term *T = termOf(BO->getLHS());
  if (!T || keyOfTerm(T).T != T)
    return;
  // ctx->task_complete = true: what a later test of it reads
  if (const Term *V = termOf(BO->getRHS()))
    if (V->Kind == Term::Const) {
      St.setExact(ValKey(T), V->N);
      St.setKnown(ValKey(T), V->N == 0  ? Val::Zero
                             : V->N < 0 ? Val::Negative
                                        : Val::NonZero);
      return;
    }
  St.setKnown(ValKey(T), eval(BO->getRHS(), St));
}

/// What the path assumes of a parameter's bits (`issue_flags &
/// IO_URING_F_UNLOCKED`), for the records' `when`.
void FunctionAnalysis::bitConds(
    const State &St, llvm::function_ref<void(const Cond &)> Add) const {
  for (const auto &P : St.Known) {
    const Term *T = P.first.T;
    if (!T || T->Kind != Term::Bits || T->Ops[0]->Kind != Term::Var ||
        P.second == Val::Unknown)
      continue;
    const auto *PV = dyn_cast<ParmVarDecl>(T->Ops[0]->D);
    int I = PV ? paramIndex(PV) : -1;
    if (I < 0 || reassigned(PV))
      continue;
    Cond C;
    C.Param = I;
    C.Bits = P.second == Val::Zero ? -1 : 1;
    C.N = T->N;
    Add(C);
  }
}

//===-- per way of returning -----------------------------------------------===//

void FunctionAnalysis::wayFacts(const std::vector<State> &Exits) {
  size_t N = lo_returns_count(Sum.Ways.get());
  Sum.WayFacts.clear();
  auto Ours = [&](const ValKey &K) {
    auto Param = [&](const VarDecl *V) {
      const auto *PV = dyn_cast<ParmVarDecl>(V);
      return PV && paramIndex(PV) >= 0 && !reassigned(PV);
    };
    if (K.T)
      return K.T->rootsAll(Param);
    return !K.second && K.D && isa<VarDecl>(K.D) &&
           Param(cast<VarDecl>(K.D));
  };
  std::vector<std::vector<State>> Facts(N);
  for (const State &S : Exits) {
    // the way S joined: the one holding the same locks (lo_returns_add)
    size_t W = N;
    size_t NHolds = 0;
    for (const Fact &F : S.Held)
      NHolds += !F.Asserted;
    for (size_t I = 0; I < N && W == N; ++I) {
      const lo_return *O = lo_returns_get(Sum.Ways.get(), I);
      if (O->nholds != NHolds)
        continue;
      bool All = true;
      for (const Fact &F : S.Held) {
        if (F.Asserted)
          continue;
        bool Found = false;
        for (size_t H = 0; H < O->nholds && !Found; ++H)
          Found = fromRef(O->holds[H].lock) == F.Lock &&
                  (O->holds[H].shared != 0) == F.Shared &&
                  O->holds[H].subclass == F.Subclass;
        All &= Found;
      }
      if (All)
        W = I;
    }
    if (W == N)
      return; // past the bound: the ways do not say
    State K;
    for (auto &P : S.Known)
      if (Ours(P.first))
        K.Known.push_back(P);
    for (auto &P : S.Exact)
      if (Ours(P.first))
        K.Exact.push_back(P);
    for (auto &P : S.Unequal)
      if (Ours(P.first))
        K.Unequal.push_back(P);
    // one outcome per value returned: need_seqretry() returns 0 when
    // seq & 1, and may return anything otherwise
    K.Ret = S.Ret;
    bool Joined = false;
    for (State &O : Facts[W])
      if (O.Ret == K.Ret) {
        O.joinKnowledge(K);
        Joined = true;
        break;
      }
    if (!Joined)
      Facts[W].push_back(std::move(K));
  }
  Sum.WayFacts = std::move(Facts);
}

namespace {
/// A callee's term in its caller's terms: each parameter replaced by the
/// argument passed.
struct InCaller {
  TermTable &Terms;
  const Args &As;
  std::function<const Term *(const Expr *)> TermOf;

  const Term *subst(const Term *T) const {
    if (T->Kind == Term::Var) {
      const auto *PV = dyn_cast<ParmVarDecl>(T->D);
      if (!PV || PV->getFunctionScopeIndex() >= As.Call->getNumArgs())
        return nullptr;
      return TermOf(As.Call->getArg(PV->getFunctionScopeIndex()));
    }
    if (T->Kind == Term::Const)
      return T;
    // *p with &x passed for p is x
    if (T->Kind == Term::Deref && T->Ops[0]->Kind == Term::Var)
      if (const auto *PV = dyn_cast<ParmVarDecl>(T->Ops[0]->D))
        if (PV->getFunctionScopeIndex() < As.Call->getNumArgs())
          if (const auto *UO = dyn_cast<UnaryOperator>(
                  As.Call->getArg(PV->getFunctionScopeIndex())
                      ->IgnoreParenImpCasts()))
            if (UO->getOpcode() == UO_AddrOf)
              return TermOf(UO->getSubExpr());
    llvm::SmallVector<const Term *, 4> Ops;
    for (const Term *O : T->Ops) {
      const Term *S = subst(O);
      if (!S)
        return nullptr;
      Ops.push_back(S);
    }
    if (T->Kind == Term::Field && Ops[0]->Kind == Term::Const)
      return nullptr;
    if (T->Kind == Term::Bits && Ops[0]->Kind == Term::Const)
      return Terms.get(Term::Const, nullptr, Ops[0]->N & T->N, {});
    if ((T->Kind == Term::Less || T->Kind == Term::Same) &&
        Ops[0]->Kind == Term::Const && Ops[1]->Kind == Term::Const)
      return Terms.get(Term::Const, nullptr,
                       T->Kind == Term::Less ? Ops[0]->N < Ops[1]->N
                                             : Ops[0]->N == Ops[1]->N,
                       {});
    if (T->Kind == Term::Same && std::less<const Term *>()(Ops[1], Ops[0]))
      std::swap(Ops[0], Ops[1]);
    return Terms.get(T->Kind, T->D, T->N, Ops);
  }
  /// The key K names in the caller, or its constant value.
  bool map(const ValKey &K, ValKey &Out, bool &IsConst, int64_t &C) const {
    const Term *T = nullptr;
    if (K.T) {
      T = subst(K.T);
    } else if (const auto *PV = dyn_cast_or_null<ParmVarDecl>(K.D)) {
      if (PV->getFunctionScopeIndex() < As.Call->getNumArgs())
        T = TermOf(As.Call->getArg(PV->getFunctionScopeIndex()));
    }
    if (!T)
      return false;
    IsConst = T->Kind == Term::Const;
    C = T->N;
    if (!IsConst)
      Out = keyOfTerm(T);
    return true;
  }
};

/// Whether a value known to be C meets what V says.
bool meets(Val V, int64_t C) {
  switch (V) {
  case Val::Zero:
    return C == 0;
  case Val::NonZero:
    return C != 0;
  case Val::Negative:
    return C < 0;
  default:
    return true;
  }
}
} // namespace

/// What outcome F of a callee teaches the caller's state S through the
/// call IC names; false when the arguments rule F out.
static bool learn(const InCaller &IC, const State &F, State &S) {
  ValKey K;
  bool IsConst;
  int64_t C;
  // A way the arguments contradict is not taken when the fact is about
  // the parameters' values, which the callee did not change.  A field or a
  // pure call it knows at its return it may have changed through memory
  // we do not see (__d_clear_type_and_inode() clears d_inode): the caller
  // then knows nothing of it.  We prefer keeping a way to dropping one
  // that releases a lock.
  bool Contradicted = false;
  auto Contra = [&](const ValKey &Callee) {
    if (!Callee.T || Callee.T->valuesOnly()) {
      Contradicted = true;
      return;
    }
    if (!IsConst)
      S.forget(K);
  };
  for (auto &P : F.Exact) {
    if (!IC.map(P.first, K, IsConst, C))
      continue;
    const int64_t *X = IsConst ? &C : S.exact(K);
    if ((X && *X != P.second) ||
        (!IsConst && (S.unequal(K, P.second) || !meets(S.known(K), P.second))))
      Contra(P.first);
    else if (!IsConst)
      S.setExact(K, P.second);
  }
  for (auto &P : F.Unequal) {
    if (!IC.map(P.first, K, IsConst, C))
      continue;
    const int64_t *X = IsConst ? &C : S.exact(K);
    if (X && *X == P.second)
      Contra(P.first);
    else if (!IsConst)
      S.setUnequal(K, P.second);
  }
  for (auto &P : F.Known) {
    if (!IC.map(P.first, K, IsConst, C))
      continue;
    const int64_t *X = IsConst ? &C : S.exact(K);
    Val Old = IsConst ? Val::Unknown : S.known(K);
    if ((X && !meets(P.second, *X)) ||
        (Old == Val::Zero && P.second != Val::Zero) ||
        (Old != Val::Unknown && Old != Val::Zero && P.second == Val::Zero)) {
      Contra(P.first);
      continue;
    }
    if (!IsConst && (Old == Val::Unknown ||
                     (Old == Val::NonZero && P.second == Val::Negative)))
      S.setKnown(K, P.second);
  }
  return !Contradicted;
}

void FunctionAnalysis::applyWayFacts(const FunctionSummary &CS, size_t W,
                                     const Args &As, const Expr *CallE,
                                     State &&S, std::vector<State> &Out) const {
  // What the callee may have written is not what the caller knew.
  if (!CS.Writes.empty()) {
    S.forgetIf([&](const ValKey &K) {
      if (!K.T)
        return false;
      for (const void *R : K.T->Reads)
        if (CS.Writes.count(R))
          return true;
      return false;
    });
    Sum.Writes.insert(CS.Writes.begin(), CS.Writes.end());
  }
  if (!As.Call || W >= CS.WayFacts.size() || CS.WayFacts[W].empty()) {
    Out.push_back(std::move(S));
    return;
  }
  InCaller IC{A.Terms, As, [this](const Expr *E) { return termOf(E); }};
  for (const State &F : CS.WayFacts[W]) {
    State T = S;
    if (learn(IC, F, T)) {
      if (CallE && F.Ret != Val::Unknown)
        T.setKnown(CallE, F.Ret);
      Out.push_back(std::move(T));
    }
  }
}

} // namespace lockorder
