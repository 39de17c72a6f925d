//===- Observations.cpp - what the handler is told -----------------------===//
//
// What a function tells the handler, as the core's records: every
// acquisition and call with the locks held, what the path assumes of
// parameters and which of the caller's locks it released; calls through
// function-pointer slots and the functions stored into them (fields,
// static initialisers, arrays, arguments, static-call updates); and per
// function what it returns holding.  Each record is told once.
//
// What it does not do: decide what the records add up to.
//
//===----------------------------------------------------------------------===//

#include "FunctionAnalysis.h"

#include "clang/AST/Expr.h"

using namespace clang;

namespace lockorder {

//===-- whole-program summaries -------------------------------------------===//

lo_loc FunctionAnalysis::sloc(SourceLocation L, Pool &P) const {
  lo_loc R{nullptr, 0, 0};
  L = fileLoc(L);
  if (L.isInvalid())
    return R;
  PresumedLoc PL = A.SM.getPresumedLoc(L);
  if (PL.isInvalid())
    return R;
  // File names are few: each is kept once, for the unit's whole run.
  R.file = A.FileNames.try_emplace(PL.getFilename()).first->getKeyData();
  R.line = static_cast<int>(PL.getLine());
  R.col = static_cast<int>(PL.getColumn());
  return R;
}

lo_sref FunctionAnalysis::sref(const LockRef &L, Pool &P) const {
  lo_sref R{};
  R.param = -1;
  if (L.Class >= 0) {
    // A class's strings live as long as the class table.
    const LockClass &C = A.Classes.get(L.Class);
    R.name = C.Name.c_str();
    R.kind = C.Kind;
    R.cls = C.Key.c_str();
    R.declared = C.Decl >= 0;
  } else {
    int Cls, Decl;
    lo_kind Kind;
    std::string Name;
    describe(L, Cls, Decl, Kind, Name);
    P.push_back(Name);
    R.name = P.back().c_str();
    R.kind = Kind;
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
    H.lock.obj = F.Obj;
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
    } else if (C.Bits) {
      S.kind = C.Bits > 0 ? LO_WHEN_BITS : LO_WHEN_NOBITS;
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

PathRecord::PathRecord(const FunctionAnalysis &FA, const State &St,
                       std::deque<std::string> &P)
    : Held(FA.sheld(St, P)), Released(FA.released(St, P)), When(FA.scond(St)) {}

/// Whether a record of KIND at LOC (of LOCK, for an acquisition) with
/// what ST holds and assumes is new: each is told once.
bool FunctionAnalysis::firstTime(int Kind, SourceLocation Loc,
                                 const LockRef &Lock, const State &St,
                                 const char *Obj) const {
  std::vector<int64_t> Key{Kind, Loc.getRawEncoding(), Lock.Class,
                           Lock.Param,
                           static_cast<int64_t>(reinterpret_cast<intptr_t>(Obj))};
  for (const lo_scond &C : scond(St)) {
    Key.push_back(C.param);
    Key.push_back(C.kind);
    Key.push_back(C.value);
  }
  Key.push_back(-1);
  for (const Fact &F : St.Held) {
    Key.push_back(F.Lock.Class);
    Key.push_back(F.Lock.Param * 4 + (F.Lock.Deref ? 2 : 0) +
                  (F.Shared ? 1 : 0));
    Key.push_back(static_cast<int64_t>(reinterpret_cast<intptr_t>(F.Obj)));
  }
  return A.Sites.insert(std::move(Key)).second;
}

std::string FunctionAnalysis::staticName(const FunctionDecl *F) const {
  // Functions with internal linkage are known within their translation
  // unit only: their slot keys carry the source.
  return F->isExternallyVisible() ? F->getName().str()
                                  : A.Source + ":" + F->getName().str();
}

void FunctionAnalysis::recordAcq(const State &St, const LockRef &L,
                                 bool Shared, int Subclass, lo_effect_op Op,
                                 bool Trylock, SourceLocation Loc,
                                 const char *Obj) {
  Loc = fileLoc(Loc);
  if (!firstTime(0, Loc, L, St, Obj))
    return;
  Pool P;
  std::string Fn = FD->getName().str();
  PathRecord Path(*this, St, P);
  lo_sacq R{};
  R.fn = Fn.c_str();
  R.fn_static = !FD->isExternallyVisible();
  R.lock = sref(L, P);
  R.lock.obj = Obj;
  R.op = Op;
  R.shared = Shared;
  R.subclass = Subclass;
  R.trylock = Trylock;
  R.at = sloc(Loc, P);
  Path.into(R);
  A.Handler.handleAcquisition(R);
}

/// Whether an argument of type T can name a lock a callee's parameter
/// stands for: a pointer to a lock (or to the lock API's inner fields), to
/// a pointer to one (pte_offset_map_lock's ptlp), or void *.
bool FunctionAnalysis::mayPointToLock(QualType T) const {
  if (!T->isPointerType())
    return false;
  T = T->getPointeeType();
  if (T->isPointerType())
    T = T->getPointeeType();
  return T->isVoidType() || insideLockType(T);
}

/// Whether E is built of constants only (literals, enumerators, sizeof,
/// arithmetic on them): worth asking Clang to evaluate.  A call, a
/// variable or a member is not, and evaluating those only to fail is the
/// most expensive part of recording a call.
bool FunctionAnalysis::looksConstant(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (isa<IntegerLiteral>(E) || isa<CharacterLiteral>(E) ||
      isa<UnaryExprOrTypeTraitExpr>(E))
    return true;
  if (const auto *DR = dyn_cast<DeclRefExpr>(E))
    return isa<EnumConstantDecl>(DR->getDecl());
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    return looksConstant(UO->getSubExpr());
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    return looksConstant(BO->getLHS()) && looksConstant(BO->getRHS());
  if (const auto *CO = dyn_cast<ConditionalOperator>(E))
    return looksConstant(CO->getCond()) && looksConstant(CO->getTrueExpr()) &&
           looksConstant(CO->getFalseExpr());
  return false;
}

void FunctionAnalysis::recordCall(const State &St, const FunctionDecl *Callee,
                                  const std::string &Target,
                                  const CallExpr *CE) {
  SourceLocation Loc = fileLoc(CE->getBeginLoc());
  if (!firstTime(1, Loc, LockRef(), St))
    return;
  Pool P;
  std::string Fn = FD->getName().str();
  std::string CalleeName = Callee ? Callee->getName().str() : "";
  PathRecord Path(*this, St, P);
  std::vector<lo_sarg> Args;
  for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
    lo_sarg Ag{};
    Ag.kind = LO_ARG_NONE;
    Ag.lock.param = -1;
    const Expr *E = CE->getArg(I);
    // The argument as a path, for the objects the callee takes (objpath.c).
    if (E->getType()->isPointerType())
      Ag.obj = const_cast<FunctionAnalysis *>(this)->A.internObj(
          const_cast<FunctionAnalysis *>(this)->objPtr(E));
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
    } else if (mayPointToLock(E->getType())) {
      LockRef L = const_cast<FunctionAnalysis *>(this)->resolvePtr(E);
      if (L.valid()) {
        Ag.kind = LO_ARG_LOCK;
        Ag.lock = sref(L, P);
        Ag.lock.obj = Ag.obj;
      }
    } else if (E->getType()->isIntegralOrEnumerationType()) {
      // What the callee's paths assume of it can then be checked.
      const Expr *X = E->IgnoreParenImpCasts();
      Expr::EvalResult ER;
      if (!X->isValueDependent() && looksConstant(X) &&
          X->EvaluateAsInt(ER, A.Ctx, Expr::SE_NoSideEffects)) {
        Ag.kind = LO_ARG_INT;
        Ag.value = ER.Val.getInt().getExtValue();
      } else if (const auto *DR = dyn_cast<DeclRefExpr>(X)) {
        if (const auto *PV = dyn_cast<ParmVarDecl>(DR->getDecl())) {
          int PI = paramIndex(PV);
          if (PI >= 0 && !reassigned(PV)) {
            Ag.kind = LO_ARG_PARAM;
            Ag.param = PI;
          }
        }
      }
    }
    if (Ag.kind == LO_ARG_NONE && E->getType()->isPointerType()) {
      // What the callee's paths assume of it can then be checked
      // (folio_lruvec_relock_irq(folio, lruvec) with lruvec locked).
      const auto *DR = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
      const auto *PV = DR ? dyn_cast<ParmVarDecl>(DR->getDecl()) : nullptr;
      Val V = eval(E, St);
      if (V == Val::NonZero) {
        Ag.kind = LO_ARG_NONZERO;
      } else if (V == Val::Zero) {
        Ag.kind = LO_ARG_INT;
        Ag.value = 0;
      } else if (PV && paramIndex(PV) >= 0 &&
                 (!reassigned(PV) ||
                  (paramIndex(PV) < 64 &&
                   !(St.Assigned & (uint64_t(1) << paramIndex(PV)))))) {
        Ag.kind = LO_ARG_PARAM;
        Ag.param = paramIndex(PV);
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
  Path.into(R);
  R.args = Args.data();
  R.nargs = Args.size();
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

void FunctionAnalysis::recordRet() {
  Pool P;
  std::vector<lo_sheld> Holds;
  std::vector<lo_sref> Rel;
  std::set<std::tuple<LockRef, bool, int>> SeenH;
  std::set<LockRef> SeenR;
  for (size_t W = 0; W < lo_returns_count(Sum.Ways.get()); ++W) {
    const lo_return *O = lo_returns_get(Sum.Ways.get(), W);
    for (size_t I = 0; I < O->nholds; ++I) {
      const lo_rhold &RH = O->holds[I];
      LockRef L = fromRef(RH.lock);
      if (SeenH.insert({L, RH.shared != 0, RH.subclass}).second) {
        lo_sheld H{};
        H.lock = sref(L, P);
        H.shared = RH.shared;
        H.subclass = RH.subclass;
        H.lock.obj = RH.obj;
        H.at = sloc(SourceLocation::getFromRawEncoding(RH.site), P);
        Holds.push_back(H);
      }
    }
    for (size_t I = 0; I < O->nreleases; ++I) {
      LockRef R = fromRef(O->releases[I]);
      if (SeenR.insert(R).second)
        Rel.push_back(sref(R, P));
    }
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


/// Lock class key KEY given to the locks of L's class.  &static_key is
/// one key (mutex_init()'s static __key is one per place it is written);
/// the address of an array element or of a field of an object is a key
/// per object (&rcu_node_class[i], &h->resize_key).  Any other key is no
/// one key either: lockdep_set_subclass() passes the lock's own key with
/// a subclass (i915's ENGINE_PHYSICAL and ENGINE_VIRTUAL sched_engine
/// locks), a helper passes its caller's, and lock_set_cmp_fn() gives a
/// function that orders the locks of the class (af_unix's
/// unix_state_lock_cmp_fn): locks of the class may then nest.
/// lockdep_set_novalidate_class() is the key __lockdep_no_validate__:
/// lockdep checks nothing of that class.
void FunctionAnalysis::recordKey(const LockRef &L, const Expr *Key) {
  if (L.Class < 0)
    return;
  const auto *UO = dyn_cast<UnaryOperator>(Key->IgnoreParenCasts());
  const Expr *Obj = UO && UO->getOpcode() == UO_AddrOf
                        ? UO->getSubExpr()->IgnoreParenCasts()
                        : nullptr;
  std::string Id;
  bool NoValidate = false;
  const auto *DR = Obj ? dyn_cast<DeclRefExpr>(Obj) : nullptr;
  const auto *VD = DR ? dyn_cast<VarDecl>(DR->getDecl()) : nullptr;
  if (!Obj) {
    if (Key->isNullPointerConstant(A.Ctx, Expr::NPC_ValueDependentIsNotNull))
      return;
  } else if (VD && VD->hasGlobalStorage()) {
    NoValidate = VD->getName() == "__lockdep_no_validate__";
    PresumedLoc P = A.SM.getPresumedLoc(fileLoc(VD->getLocation()));
    Id = VD->getName().str() + "@" + (P.isValid() ? P.getFilename() : "?") +
         ":" + std::to_string(P.isValid() ? P.getLine() : 0);
  } else if (!isa<ArraySubscriptExpr>(Obj) && !isa<MemberExpr>(Obj)) {
    return;
  }
  const LockClass &C = A.Classes.get(L.Class);
  if (!A.Recorded.insert("key:" + C.Key + "=" + Id).second)
    return;
  lo_skey K{};
  K.cls = C.Key.c_str();
  K.key = Id.empty() ? nullptr : Id.c_str();
  K.novalidate = NoValidate;
  A.Handler.handleKey(K);
}

} // namespace lockorder
