//===- SummaryEmbed.cpp - the summary carried inside the object file ------===//
//
// See SummaryEmbed.h.
//
//===----------------------------------------------------------------------===//

#include "SummaryEmbed.h"
#include "lockorder.h"

#include "clang/Frontend/FrontendOptions.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace clang;

namespace lockorder {

bool emitsCode(const CompilerInstance &CI) {
  switch (CI.getFrontendOpts().ProgramAction) {
  case frontend::EmitObj:
  case frontend::EmitAssembly:
  case frontend::EmitBC:
  case frontend::EmitLLVM:
    return true;
  default:
    return false;
  }
}

namespace {

struct EmbedSummaryPass : llvm::PassInfoMixin<EmbedSummaryPass> {
  std::shared_ptr<const std::string> Text;

  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &) {
    if (Text->empty())
      return llvm::PreservedAnalyses::all();
    llvm::LLVMContext &C = M.getContext();
    auto *Init = llvm::ConstantDataArray::getString(C, *Text,
                                                    /*AddNull=*/false);
    auto *GV = new llvm::GlobalVariable(
        M, Init->getType(), /*isConstant=*/true,
        llvm::GlobalValue::PrivateLinkage, Init, "__lockorder_summary");
    GV->setSection(LO_SUMMARY_SECTION);
    // Alignment 1: `ld -r` then concatenates the summaries of its inputs
    // with no padding between them.
    GV->setAlignment(llvm::Align(1));
    GV->setMetadata(llvm::LLVMContext::MD_exclude, llvm::MDNode::get(C, {}));
    llvm::appendToCompilerUsed(M, {GV});
    return llvm::PreservedAnalyses::none();
  }
};

} // namespace

void embedSummary(CompilerInstance &CI,
                  std::shared_ptr<const std::string> Text) {
  // PipelineStart runs in every pipeline, -O0 included, before any pass
  // could drop an unused constant.
  CI.getCodeGenOpts().PassBuilderCallbacks.push_back(
      [Text](llvm::PassBuilder &PB) {
        PB.registerPipelineStartEPCallback(
            [Text](llvm::ModulePassManager &MPM, llvm::OptimizationLevel) {
              MPM.addPass(EmbedSummaryPass{{}, Text});
            });
      });
}

} // namespace lockorder
