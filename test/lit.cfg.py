# lit configuration for lockorder's plugin and tool suites.
#
# Substitutions:
#   %clang_lo   clang with the plugin loaded: %clang_lo RULES -fsyntax-only ...
#   %clang      the clang the plugin was built against
#   %lockorder  the lockorder command
#   %rules      the source tree's rules/ directory
#   %inputs     test/plugin/Inputs
import os
import lit.formats

config.name = "lockorder"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".test"]
config.excludes = ["Inputs", "unit", "fuzz", "CMakeLists.txt", "lit.cfg.py"]
config.test_source_root = os.path.join(config.lockorder_src_root, "test")
config.test_exec_root = os.path.join(config.lockorder_obj_root, "test")

clang = os.path.join(config.llvm_bin, "clang")
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "plugin", "Inputs")))
config.substitutions.append(("%rules", os.path.join(config.lockorder_src_root, "rules")))
config.substitutions.append(("%lockorder", config.lockorder_tool))
config.substitutions.append(("%plugin", config.lockorder_plugin))
config.substitutions.append(
    ("%clang_lo",
     "%s -fplugin=%s -fplugin-arg-lockorder-rules=" % (clang, config.lockorder_plugin)))
config.substitutions.append(("%clang", clang))

# FileCheck and not come from the same LLVM.
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_bin, os.path.dirname(config.lockorder_tool), config.environment.get("PATH", os.environ.get("PATH", ""))])
config.environment["LC_ALL"] = "C"

# Optional programs some tests need.
import shutil
if shutil.which("dot"):
    config.available_features.add("dot")
