//===- RulesResolver.h - the rules' lock names in this unit ----*- C++ -*-===//
//
// Maps the rules' lock names ("kvm->arch.xen.xen_lock") onto the class keys
// of this translation unit ("kvm_xen.xen_lock") through its record types,
// so that the code's locks and the rules' meet.  Each name spelled through
// a struct this unit defines is reported to the handler, resolved or with
// the reason it is not, for `lockorder merge` to say which names resolve
// in no unit.
//
// What it does not do: name the code's locks (LockNames in LockAnalysis).
//
//===----------------------------------------------------------------------===//

#ifndef LOCKORDER_PLUGIN_RULESRESOLVER_H
#define LOCKORDER_PLUGIN_RULESRESOLVER_H

#include "DiagReporter.h"
#include "LockAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"

#include <string>

namespace lockorder {

/// Maps the rules' lock names onto class keys of this translation unit.
class RulesResolver {
public:
  RulesResolver(clang::ASTContext &Ctx, const lo_rules *Rules, ClassTable &Classes,
                clang::DiagnosticsEngine &D, SourceFiles &RF, bool Verbose,
                LockHandler &Handler)
      : Ctx(Ctx), Rules(Rules), Classes(Classes), D(D), RF(RF),
        Verbose(Verbose), Handler(Handler) {}

  void run() {
    for (const clang::Decl *Dl : Ctx.getTranslationUnitDecl()->decls())
      if (const auto *RD = clang::dyn_cast<clang::RecordDecl>(Dl))
        if (RD->isCompleteDefinition() && !RD->getName().empty())
          Records[RD->getName()] = RD;
    unsigned WarnID = D.getCustomDiagID(clang::DiagnosticsEngine::Warning, "%0");
    for (size_t I = 0; I < lo_rules_lock_count(Rules); ++I) {
      const lo_lock *L = lo_rules_lock(Rules, I);
      if (!L->root) {
        Classes.declare(L->name, Rules, static_cast<int>(I));
        continue;
      }
      auto It = Records.find(L->root_tag);
      if (It == Records.end())
        continue; // not in this translation unit: nothing to match
      std::string Why;
      std::string Key = resolve(It->second, L, Why);
      // For `lockorder merge`, which says which names no unit resolves.
      lo_sname N{L->name, !Key.empty(), Key.empty() ? Why.c_str() : nullptr};
      Handler.handleRulesName(N);
      // A field that exists only under some configuration (xen_lock needs
      // CONFIG_KVM_XEN) is missing from many translation units, so this
      // is said in verbose mode only; `lockorder check` reports a name
      // that resolves in no translation unit of the tree.
      if (Key.empty() && Verbose) {
        clang::SourceLocation Loc = RF.get(L->file, L->line, L->col);
        std::string Msg = "rules lock '" + std::string(L->name) +
                          "' names no field: " + Why;
        if (Loc.isValid())
          D.Report(Loc, WarnID) << Msg;
        else
          D.Report(WarnID) << Msg;
        continue;
      }
      if (Key.empty())
        continue;
      Classes.declare(Key, Rules, static_cast<int>(I));
    }
  }

private:
  clang::ASTContext &Ctx;
  const lo_rules *Rules;
  ClassTable &Classes;
  clang::DiagnosticsEngine &D;
  SourceFiles &RF;
  bool Verbose;
  LockHandler &Handler;
  llvm::StringMap<const clang::RecordDecl *> Records;

  static const clang::RecordDecl *recordOf(clang::QualType T) {
    T = T.getCanonicalType();
    while (T->isPointerType() || T->isArrayType())
      T = T->isPointerType() ? T->getPointeeType()
                             : clang::QualType(T->getPointeeOrArrayElementType(), 0);
    const clang::RecordDecl *RD = T->getAsRecordDecl();
    return RD ? RD->getDefinition() : nullptr;
  }

  std::string resolve(const clang::RecordDecl *RD, const lo_lock *L,
                      std::string &Why) {
    const clang::FieldDecl *FD = nullptr;
    for (size_t I = 0; I < L->nfields; ++I) {
      if (!RD) {
        Why = "'" + std::string(L->fields[I - 1]) + "' is not a struct";
        return "";
      }
      clang::IdentifierInfo &II = Ctx.Idents.get(L->fields[I]);
      FD = nullptr;
      for (const clang::NamedDecl *ND : RD->lookup(clang::DeclarationName(&II))) {
        if (const auto *F = clang::dyn_cast<clang::FieldDecl>(ND))
          FD = F;
        else if (const auto *IF = clang::dyn_cast<clang::IndirectFieldDecl>(ND))
          FD = IF->getAnonField();
      }
      if (!FD) {
        std::string RN = recordName(RD);
        Why = "'" + std::string(RD->isUnion() ? "union " : "struct ") + RN +
              "' has no field '" + L->fields[I] + "'";
        return "";
      }
      RD = recordOf(FD->getType());
    }
    return FD ? classKeyForField(FD) : "";
  }
};

} // namespace lockorder

#endif
