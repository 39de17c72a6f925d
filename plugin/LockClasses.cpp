//===- LockClasses.cpp - lock classes and their keys ----------------------===//
//
// A lock's class is the struct type that directly contains the lock field
// plus the field, or the global variable, or the function that takes it.
// This file owns the spelling of class keys ("kvm_xen.xen_lock"), so that the
// rules' paths (resolved through record types in LockOrderPlugin.cpp) and the
// code's lock expressions (LockAnalysis.cpp) meet in one place.
//
//===----------------------------------------------------------------------===//

#include "LockAnalysis.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Type.h"

using namespace clang;

namespace lockorder {

LockHandler::~LockHandler() = default;

int ClassTable::intern(llvm::StringRef Key, llvm::StringRef Name,
                       lo_kind Kind) {
  auto It = ByKey.find(Key);
  if (It != ByKey.end()) {
    LockClass &C = Classes[It->second];
    if (C.Kind == LO_KIND_NONE)
      C.Kind = Kind;
    return It->second;
  }
  int Id = static_cast<int>(Classes.size());
  Classes.push_back({Key.str(), Name.str(), -1, Kind});
  ByKey[Key] = Id;
  return Id;
}

int ClassTable::lookup(llvm::StringRef Key) const {
  auto It = ByKey.find(Key);
  return It == ByKey.end() ? -1 : It->second;
}

void ClassTable::declare(llvm::StringRef Key, const lo_rules *Rules,
                         int Decl) {
  const lo_lock *L = lo_rules_lock(Rules, Decl);
  int Id = intern(Key, L->name, L->kind);
  LockClass &C = Classes[Id];
  // The rules' name and kind win over whatever the code spelled first.
  C.Name = L->name;
  C.Kind = L->kind;
  C.Decl = Decl;
}

std::string recordName(const RecordDecl *RD) {
  if (!RD)
    return "";
  if (!RD->getName().empty())
    return RD->getName().str();
  if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
    return TD->getName().str();
  return "";
}

std::string classKeyForField(const FieldDecl *FD) {
  const RecordDecl *RD = FD->getParent();
  std::string Path = FD->getName().str();
  // A record with no name of its own is part of the one around it.  An
  // anonymous member (C11 `struct { ... };`) is folded in, as C looks its
  // members up in the enclosing record; a named field of an unnamed struct
  // type (`struct { spinlock_t lock; ... } irqfds;`) keeps its name:
  // kvm->irqfds.lock is "kvm.irqfds.lock", not kvm->lock.
  while (RD && recordName(RD).empty()) {
    const auto *Parent = dyn_cast<RecordDecl>(RD->getDeclContext());
    if (!Parent)
      break;
    if (!RD->isAnonymousStructOrUnion())
      for (const FieldDecl *F : Parent->fields()) {
        QualType T = F->getType();
        while (const ArrayType *AT = T->getAsArrayTypeUnsafe())
          T = AT->getElementType();
        if (T->getAsRecordDecl() == RD) {
          Path = F->getName().str() + "." + Path;
          break;
        }
      }
    RD = Parent;
  }
  std::string Name = recordName(RD);
  if (Name.empty())
    Name = "<anonymous>";
  return Name + "." + Path;
}

} // namespace lockorder
