Console.Error.WriteLine("firmware-sim: not implemented yet");
return 2;
