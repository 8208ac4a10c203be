@echo off
rem Installer of the demo package: writes a marker file.
echo installed > "%ProgramData%\demo-tool.txt"
