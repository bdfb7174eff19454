"""The real-app harness starts system applications with an environment they can run in."""

from tests.benchmarks.real_apps_desktop import _without_opencv_qt


def test_opencvs_qt_plugin_paths_stay_out_of_a_system_apps_environment():
    # Importing cv2 (through the OCR) sets these in the benchmark's own process.
    env = {"DISPLAY": ":5", "QT_QPA_PLATFORM_PLUGIN_PATH": "/v/site-packages/cv2/qt/plugins",
           "QT_QPA_FONTDIR": "/v/site-packages/cv2/qt/fonts",
           "LD_LIBRARY_PATH": "/v/site-packages/cv2/../../lib64:/opt/lib"}
    kept = _without_opencv_qt(env)
    assert kept == {"DISPLAY": ":5", "LD_LIBRARY_PATH": "/opt/lib"}
    assert "LD_LIBRARY_PATH" not in _without_opencv_qt({"LD_LIBRARY_PATH": "/v/cv2/../../lib64:"})
