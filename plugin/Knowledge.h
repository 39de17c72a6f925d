//===- Knowledge.h - terms a path can know the value of -----*- C++ -*-===//
//
// The values a path learns something of beyond a local variable: a field
// read through a pointer (`reg->space_id`, `ctx->lockless_cq`,
// `substream->pcm->nonatomic`), a bit test (`issue_flags &
// IO_URING_F_UNLOCKED`), a comparison of two such values (`p1 != p2`,
// `num_bios > 1`), and a call of a pure function on them
// (`hub_is_superspeed(hub->hdev)`, `folio_test_swapcache(folio)`).  Each is
// a Term, interned in the translation unit's TermTable so that two tests of
// the same thing share one key (State::Known, Exact, Unequal).
//
// A term is rooted at the function's own variables (locals and
// parameters): it is forgotten when one of them, or one of the fields it
// reads, is assigned, incremented or has its address taken on the path.
// It is kept across calls: we assume a callee leaves the fields and the
// pure results it did not visibly assign alone.  The trade-off: a branch
// the same test decided is not walked twice, which drops the paths where a
// lock is taken under one outcome and kept under the other (cpc_write(),
// hub_port_reset()); a callee that does change the value in between would
// be missed.
//
// What it does not do: decide an edge or change a state (Transfer.cpp,
// Knowledge.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef LOCKORDER_PLUGIN_KNOWLEDGE_H
#define LOCKORDER_PLUGIN_KNOWLEDGE_H

#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <map>
#include <memory>
#include <tuple>
#include <vector>

namespace lockorder {

/// A value built from the function's variables.  Interned: one per shape.
struct Term {
  enum KindT : uint8_t {
    Var,   ///< a local variable or parameter (D)
    Const, ///< an integer constant (N)
    Field, ///< field D of Ops[0] (through `.` or `->`)
    Bits,  ///< Ops[0] & N
    Less,  ///< Ops[0] < Ops[1]
    Same,  ///< Ops[0] == Ops[1] (ordered by address)
    Call,  ///< pure function D applied to Ops
    Deref  ///< *Ops[0]
  };
  KindT Kind = Var;
  const clang::Decl *D = nullptr;
  int64_t N = 0;
  llvm::SmallVector<const Term *, 2> Ops;
  /// The variables and fields it reads, its own and its operands'.
  llvm::SmallVector<const void *, 4> Reads;

  bool reads(const void *X) const {
    for (const void *R : Reads)
      if (R == X)
        return true;
    return false;
  }
  /// Whether it is made of values only (no field, pointee or call): what a
  /// callee knows of it over its parameters at its return it knew at its
  /// entry.
  bool valuesOnly() const {
    if (Kind == Field || Kind == Call || Kind == Deref)
      return false;
    for (const Term *O : Ops)
      if (!O->valuesOnly())
        return false;
    return true;
  }
  /// Whether every variable it reads satisfies P.
  template <class Pred> bool rootsAll(Pred P) const {
    if (Kind == Var)
      return P(clang::cast<clang::VarDecl>(D));
    for (const Term *O : Ops)
      if (!O->rootsAll(P))
        return false;
    return true;
  }
};

/// The translation unit's terms, and which functions are pure.
class TermTable {
public:
  const Term *get(Term::KindT K, const clang::Decl *D, int64_t N,
                  llvm::ArrayRef<const Term *> Ops);
  /// Memo of pure(): 1 pure, 0 not, -1 being decided.
  llvm::DenseMap<const clang::FunctionDecl *, int> Pure;

private:
  std::map<std::tuple<int, const void *, int64_t, std::vector<const Term *>>,
           std::unique_ptr<Term>>
      Terms;
};

} // namespace lockorder

#endif
