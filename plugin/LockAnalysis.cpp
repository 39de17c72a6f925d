//===- LockAnalysis.cpp - lockorder's path-sensitive lock analysis --------===//
//
// Walks each function's CFG once, in reverse post-order, with a small set of
// states per block (LockState.h), repeated until the loops settle, and
// reports what it observes to the handler (Observations.cpp).  A block
// ending in a call that never returns leads nowhere.
//
// Calls are followed through the callee's ways of returning -- what it
// returns holding and releases of its caller's locks, parametrised by its
// parameters -- computed lazily, once per function, and cached; functions
// the rules describe are never followed (the rule's effect is used).  What
// a callee acquires is not applied here: the C core does that, at every
// call, from the records (lo_merge_run()).
//
// Trade-offs: we prefer missing a report over a false one.  Locks whose
// identity cannot be told are skipped (with a remark in verbose mode), a
// lockset that would grow past the bound is intersected, and an unlock of a
// lock not held is the caller's lock released.  Classes, not instances,
// are tracked, as lockdep does.
//
//===----------------------------------------------------------------------===//

#include "FunctionAnalysis.h"

#include "clang/Analysis/Analyses/PostOrderCFGView.h"

using namespace clang;

namespace lockorder {

void FunctionAnalysis::run() {
  const Stmt *Body = FD->getBody();
  if (!Body)
    return;

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
  Graph = G.get();

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
      ValKey SwitchKey = Switch && Switch->getCond() ? keyOf(Switch->getCond())
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
          Changed |= addState(In[Succ->getBlockID()], std::move(T));
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

  // The parameters every way of returning knows are not NULL.
  Sum.NonNullParams = ExitStates.empty() ? 0 : ~uint64_t(0);
  for (const State &S : ExitStates) {
    uint64_t Mask = 0;
    for (unsigned K = 0; K < FD->getNumParams() && K < 64; ++K)
      if (S.known(FD->getParamDecl(K)) == Val::NonZero)
        Mask |= uint64_t(1) << K;
    Sum.NonNullParams &= Mask;
  }
  // Per way of returning, what is still held and released, joined by the
  // core (lo_returns_add).  What was only asserted is the caller's.
  for (const State &S : ExitStates) {
    llvm::SmallVector<lo_rhold, 4> Holds;
    for (const Fact &F : S.Held)
      if (!F.Asserted)
        Holds.push_back({toRef(F.Lock), F.Shared ? 1 : 0, F.Subclass,
                         F.Loc.getRawEncoding(), F.Obj});
    llvm::SmallVector<lo_lockref, 2> Rel;
    for (const LockRef &R : S.Released)
      Rel.push_back(toRef(R));
    lo_returns_add(Sum.Ways.get(), toRet(S.Ret), Holds.data(), Holds.size(),
                   Rel.data(), Rel.size());
  }
  wayFacts(ExitStates);
  recordRet();
}


/// SUM with every way of returning holding nothing.
static void dropHolds(FunctionSummary &Sum) {
  std::unique_ptr<lo_returns, void (*)(lo_returns *)> Ways{lo_returns_new(),
                                                           lo_returns_free};
  for (size_t W = 0; W < lo_returns_count(Sum.Ways.get()); ++W) {
    const lo_return *O = lo_returns_get(Sum.Ways.get(), W);
    lo_returns_add(Ways.get(), O->ret, nullptr, 0, O->releases, O->nreleases);
  }
  Sum.Ways = std::move(Ways);
  Sum.WayFacts.clear();
}

FunctionSummary *LockAnalysis::Impl::summaryFor(const FunctionDecl *FD) {
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->hasBody())
    return nullptr;
  auto It = Summaries.find(Def);
  if (It != Summaries.end())
    return It->second.get();
  auto IP = InProgress.find(Def);
  if (IP != InProgress.end()) {
    CycleFloor = std::min(CycleFloor, IP->second);
    return nullptr;
  }
  if (Depth >= MaxDepth)
    return nullptr;
  auto Sum = std::make_unique<FunctionSummary>();
  bool Report = SM.isInMainFile(SM.getExpansionLoc(Def->getLocation()));
  unsigned Mine = Depth, Outer = CycleFloor;
  InProgress[Def] = Mine;
  CycleFloor = ~0u;
  ++Depth;
  analyze(Def, *Sum, Report);
  --Depth;
  InProgress.erase(Def);
  // What this function's calls found in progress, at or above it.
  unsigned Hit = CycleFloor;
  CycleFloor = std::min(Outer, Hit < Mine ? Hit : ~0u);
  // In a recursion, a callee still in progress counted as doing nothing:
  // what this function returns holding may be a release that callee
  // makes (hugepage_subpool_put_pages() -> unlock_or_release_subpool() ->
  // ... -> hugepage_subpool_put_pages()).  We prefer missing a report: it
  // returns holding nothing.  What it acquires still counts.
  if (Hit <= Mine)
    dropHolds(*Sum);
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
