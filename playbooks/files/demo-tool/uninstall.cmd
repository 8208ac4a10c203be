@echo off
del "%ProgramData%\demo-tool.txt"
